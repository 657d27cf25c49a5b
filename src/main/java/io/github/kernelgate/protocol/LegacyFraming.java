package io.github.kernelgate.protocol;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The classic Jupyter WebSocket framing (no subprotocol): a message is a JSON text frame, or,
 * when it has buffers, a binary frame {@code u32be count, u32be offsets..., JSON, buffers...}.
 * Kernel messages are framed by splicing the kernel's own JSON parts, never re-parsing them.
 */
public final class LegacyFraming {

  private LegacyFraming() {
  }

  /**
   * A frame for a client: text unless the message carries buffers. A text frame is kept as the
   * String the WebSocket writes, so kernel bytes are decoded once and never copied through a Buffer.
   */
  public static final class Frame {
    private final String text;
    private final Buffer binary;

    private Frame(String text, Buffer binary) {
      this.text = text;
      this.binary = binary;
    }

    public boolean binary() {
      return binary != null;
    }

    /** The text of a text frame. */
    public String text() {
      return text;
    }

    /** The frame's bytes (for a text frame, its UTF-8 encoding). */
    public Buffer data() {
      return binary != null ? binary : Buffer.buffer(text);
    }
  }

  public static Frame toClient(Channel channel, WireMessage message, String msgId, String msgType) {
    if (!message.hasBuffers()) {
      return new Frame(json(channel, message, msgId, msgType, true), null);
    }
    List<byte[]> parts = new ArrayList<>();
    parts.add(json(channel, message, msgId, msgType, false).getBytes(StandardCharsets.UTF_8));
    parts.addAll(message.buffers());
    int headerSize = 4 * (parts.size() + 1);
    Buffer frame = Buffer.buffer().appendInt(parts.size());
    int offset = headerSize;
    for (byte[] part : parts) {
      frame.appendInt(offset);
      offset += part.length;
    }
    parts.forEach(frame::appendBytes);
    return new Frame(null, frame);
  }

  /** The message as JSON, spliced from the kernel's own parts; {@code "buffers": []} only in text frames. */
  private static String json(Channel channel, WireMessage message, String msgId, String msgType, boolean emptyBuffers) {
    StringBuilder json = new StringBuilder((int) message.size() + 160)
        .append("{\"header\":").append(utf8(message.header()))
        .append(",\"parent_header\":").append(utf8(message.parentHeader()))
        .append(",\"metadata\":").append(utf8(message.metadata()))
        .append(",\"content\":").append(utf8(message.content()));
    if (emptyBuffers) {
      json.append(",\"buffers\":[]");
    }
    return json.append(",\"msg_id\":").append(WireText.quote(msgId))
        .append(",\"msg_type\":").append(WireText.quote(msgType))
        .append(",\"channel\":\"").append(channel.wireName()).append("\"}").toString();
  }

  private static String utf8(byte[] part) {
    return new String(part, StandardCharsets.UTF_8);
  }

  /** Decodes a text frame; a missing channel means shell. */
  public static ClientMessage fromClientText(String text) {
    JsonObject json;
    try {
      json = WireJson.object(text);
    } catch (DecodeException | ClassCastException notJson) {
      throw new FrameException("text frame is not a JSON object");
    }
    return fromJson(json, List.of());
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
    JsonObject json;
    try {
      json = WireJson.object(sections.get(0));
    } catch (DecodeException | ClassCastException notJson) {
      throw new FrameException("first part of the binary frame is not a JSON object");
    }
    return fromJson(json, sections.subList(1, sections.size()));
  }

  private static ClientMessage fromJson(JsonObject json, List<byte[]> buffers) {
    Object channelName = json.getValue("channel", "shell");
    Channel channel = channelName instanceof String name ? Channel.fromWireName(name).orElse(null) : null;
    if (channel == null || channel == Channel.IOPUB) {
      throw new FrameException("unknown channel " + channelName);
    }
    WireMessage message = new WireMessage(
        WireText.encode(object(json, "header", false)),
        WireText.encode(object(json, "parent_header", true)),
        WireText.encode(object(json, "metadata", true)),
        WireText.encode(object(json, "content", true)),
        buffers);
    return WireText.toClientMessage(channel, message);
  }

  private static JsonObject object(JsonObject json, String field, boolean optional) {
    Object value = json.getValue(field);
    if (value == null && optional) {
      return new JsonObject();
    }
    if (value instanceof JsonObject object) {
      return object;
    }
    throw new FrameException("message field " + field + " must be a JSON object");
  }
}
