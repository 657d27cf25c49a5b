package io.github.kernelgate.protocol;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic Jupyter WebSocket framing (no subprotocol): a message is a JSON text frame, or,
 * when it has buffers, a binary frame {@code u32be count, u32be offsets..., JSON, buffers...}.
 * Kernel messages are framed by splicing the kernel's own JSON parts, never re-parsing them, and
 * large parts are referenced rather than copied.
 */
public final class LegacyFraming {

  private LegacyFraming() {
  }

  /** A frame for a client: a text frame (its UTF-8 bytes) unless the message carries buffers. */
  public record Frame(boolean binary, Buffer data) {
  }

  /**
   * Kernel JSON goes into a text frame as it came, without being decoded; only when it is not
   * well-formed UTF-8 ({@code utf8}: {@link #isUtf8}, known beforehand) is it decoded, with
   * replacement characters, and encoded again.
   */
  public static Frame toClient(Channel channel, WireMessage message, String msgId, String msgType, boolean utf8) {
    if (message.hasBuffers()) {
      return new Frame(true, binaryFrame(channel, message, msgId, msgType, utf8));
    }
    if (!utf8) {
      return new Frame(false, Buffer.buffer(replacedJson(channel, message, msgId, msgType, true)));
    }
    byte[] tail = tail(channel, msgId, msgType, true);
    SplicedFrame text = new SplicedFrame(SplicedFrame.references(message.size()) ? 256 + tail.length
        : (int) message.size() + JSON_KEYS_BYTES + tail.length);
    return new Frame(false, spliceJson(text, message, tail).build());
  }

  /** The same, for a caller that has not checked the message's UTF-8. */
  public static Frame toClient(Channel channel, WireMessage message, String msgId, String msgType) {
    return toClient(channel, message, msgId, msgType, isUtf8(message));
  }

  /** Whether the message's JSON parts are well-formed UTF-8 (a scan of all of them). */
  public static boolean isUtf8(WireMessage message) {
    return Utf8Check.isValid(message.header()) && Utf8Check.isValid(message.parentHeader())
        && Utf8Check.isValid(message.metadata()) && Utf8Check.isValid(message.content());
  }

  /** {@code u32be count, u32be offsets..., JSON, buffers...}; large parts are referenced, not copied. */
  private static Buffer binaryFrame(Channel channel, WireMessage message, String msgId, String msgType, boolean utf8) {
    byte[] tail = tail(channel, msgId, msgType, false);
    // Clients decode the JSON part as UTF-8 too (jupyter_server strictly).
    byte[] replaced = utf8 ? null : replacedJson(channel, message, msgId, msgType, false).getBytes(StandardCharsets.UTF_8);
    long jsonBytes = replaced != null ? replaced.length : JSON_KEYS_BYTES + message.header().length + message.parentHeader().length
        + message.metadata().length + message.content().length + tail.length;
    int parts = 1 + message.buffers().size();
    int headerSize = 4 * (parts + 1);
    SplicedFrame frame = new SplicedFrame(SplicedFrame.references(message.size()) ? headerSize + 256 + tail.length
        : (int) (headerSize + JSON_KEYS_BYTES + tail.length + message.size()));
    frame.appendIntBE(parts);
    long offset = headerSize;
    frame.appendIntBE((int) offset);
    offset += jsonBytes;
    for (byte[] buffer : message.buffers()) {
      frame.appendIntBE((int) offset);
      offset += buffer.length;
    }
    if (replaced != null) {
      frame.append(replaced);
    } else {
      spliceJson(frame, message, tail);
    }
    message.buffers().forEach(frame::append);
    return frame.build();
  }

  /** What {@link #spliceJson} adds besides the parts and the tail. */
  private static final int JSON_KEYS_BYTES = "{\"header\":,\"parent_header\":,\"metadata\":,\"content\":".length();

  /** The message as JSON, spliced from the kernel's own parts. */
  private static SplicedFrame spliceJson(SplicedFrame frame, WireMessage message, byte[] tail) {
    return frame.append("{\"header\":").append(message.header())
        .append(",\"parent_header\":").append(message.parentHeader())
        .append(",\"metadata\":").append(message.metadata())
        .append(",\"content\":").append(message.content())
        .append(tail);
  }

  /** The JSON after the content: {@code "buffers": []} only in text frames. */
  private static byte[] tail(Channel channel, String msgId, String msgType, boolean emptyBuffers) {
    return ((emptyBuffers ? ",\"buffers\":[]" : "") + ",\"msg_id\":" + WireText.quote(msgId) + ",\"msg_type\":" + WireText.quote(msgType)
        + ",\"channel\":\"" + channel.wireName() + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /** The JSON of a message whose parts are not all UTF-8, decoded with replacement characters. */
  private static String replacedJson(Channel channel, WireMessage message, String msgId, String msgType, boolean emptyBuffers) {
    return "{\"header\":" + utf8(message.header()) + ",\"parent_header\":" + utf8(message.parentHeader())
        + ",\"metadata\":" + utf8(message.metadata()) + ",\"content\":" + utf8(message.content())
        + new String(tail(channel, msgId, msgType, emptyBuffers), StandardCharsets.UTF_8);
  }

  private static String utf8(byte[] part) {
    return new String(part, StandardCharsets.UTF_8);
  }

  /** Decodes a text frame; a missing channel means shell. */
  public static ClientMessage fromClientText(String text) {
    return LegacyJsonParts.read(text, "text frame is not a JSON object");
  }

  /** Decodes a binary frame: the JSON part followed by the message's buffers. */
  public static ClientMessage fromClientBinary(Buffer frame) {
    if (frame.length() < 8) {
      throw new FrameException("binary frame is too short");
    }
    long count = frame.getUnsignedInt(0);
    if (count < 1 || 4 * (count + 1) > frame.length()) {
      throw new FrameException("binary frame has an invalid part count");
    }
    int parts = (int) count;
    List<byte[]> sections = new ArrayList<>();
    for (int i = 0; i < parts; i++) {
      long start = frame.getUnsignedInt(4 * (i + 1));
      long end = i + 1 < parts ? frame.getUnsignedInt(4 * (i + 2)) : frame.length();
      if (start < 4L * (parts + 1) || end < start || end > frame.length()) {
        throw new FrameException("binary frame has invalid offsets");
      }
      sections.add(frame.getBytes((int) start, (int) end));
    }
    return LegacyJsonParts.read(sections.get(0), sections.subList(1, sections.size()), "first part of the binary frame is not a JSON object");
  }
}
