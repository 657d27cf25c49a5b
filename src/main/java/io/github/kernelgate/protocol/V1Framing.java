package io.github.kernelgate.protocol;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code v1.kernel.websocket.jupyter.org} framing: every frame is binary,
 * {@code u64le K, u64le offsets[K], channel, header, parent, metadata, content, buffers...}.
 * Kernel parts are forwarded as they came from ZMQ, without decoding.
 */
public final class V1Framing {

  public static final String SUBPROTOCOL = "v1.kernel.websocket.jupyter.org";
  /** Message size from which large parts are referenced in the frame instead of copied. */
  static final int REFERENCE_LIMIT = 64 * 1024;

  private V1Framing() {
  }

  /**
   * The frame for one kernel message. Parts of {@link #REFERENCE_LIMIT} bytes or more are
   * referenced, not copied: a multi-megabyte output then costs no copy on its way to the
   * socket, and small messages stay one contiguous array.
   */
  public static Buffer toClient(Channel channel, WireMessage message) {
    List<byte[]> parts = new ArrayList<>(5 + message.buffers().size());
    parts.add(channel.wireName().getBytes(StandardCharsets.US_ASCII));
    parts.add(message.header());
    parts.add(message.parentHeader());
    parts.add(message.metadata());
    parts.add(message.content());
    parts.addAll(message.buffers());
    int offsets = parts.size() + 1;
    int tableBytes = 8 * (offsets + 1);
    boolean referenceLargeParts = message.size() >= REFERENCE_LIMIT;
    // Sized once: small messages are copied whole, large ones keep only their small parts here.
    Buffer copied = Buffer.buffer(referenceLargeParts ? tableBytes + 1024 : (int) (tableBytes + parts.get(0).length + message.size()));
    long offset = tableBytes;
    copied.appendLongLE(offsets);
    for (byte[] part : parts) {
      copied.appendLongLE(offset);
      offset += part.length;
    }
    copied.appendLongLE(offset);
    if (!referenceLargeParts) {
      parts.forEach(copied::appendBytes);
      return copied;
    }
    CompositeByteBuf frame = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    for (byte[] part : parts) {
      if (part.length < REFERENCE_LIMIT) {
        copied.appendBytes(part);
      } else {
        frame.addComponent(true, ((BufferInternal) copied).getByteBuf());
        frame.addComponent(true, Unpooled.wrappedBuffer(part));
        copied = Buffer.buffer();
      }
    }
    frame.addComponent(true, ((BufferInternal) copied).getByteBuf());
    // Netty releases what it writes, slice by slice; the parts belong to the message, not to one write.
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(frame));
  }

  public static ClientMessage fromClient(Buffer frame) {
    if (frame.length() < 8) {
      throw new FrameException("v1 frame is too short");
    }
    long count = frame.getLongLE(0);
    if (count < 6 || count > 1 + frame.length() / 8 || 8 * (count + 1) > frame.length()) {
      throw new FrameException("v1 frame has an invalid offset count");
    }
    int offsets = (int) count;
    long[] positions = new long[offsets];
    for (int i = 0; i < offsets; i++) {
      positions[i] = frame.getLongLE(8 * (i + 1));
      boolean ordered = i == 0 ? positions[0] == 8L * (offsets + 1) : positions[i] >= positions[i - 1];
      if (!ordered || positions[i] > frame.length()) {
        throw new FrameException("v1 frame has invalid offsets");
      }
    }
    String channelName = frame.getString((int) positions[0], (int) positions[1], "UTF-8");
    Channel channel = Channel.fromWireName(channelName).filter(known -> known != Channel.IOPUB)
        .orElseThrow(() -> new FrameException("unknown channel " + channelName));
    List<byte[]> parts = new ArrayList<>();
    for (int i = 1; i < offsets - 1; i++) {
      parts.add(frame.getBytes((int) positions[i], (int) positions[i + 1]));
    }
    WireMessage message = new WireMessage(parts.get(0), parts.get(1), parts.get(2), parts.get(3), parts.subList(4, parts.size()));
    return WireText.toClientMessage(channel, message);
  }
}
