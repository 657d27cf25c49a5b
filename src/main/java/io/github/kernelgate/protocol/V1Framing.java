package io.github.kernelgate.protocol;

import io.vertx.core.buffer.Buffer;
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
  private V1Framing() {
  }

  /** The frame for one kernel message; large parts are referenced, not copied (see {@link SplicedFrame}). */
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
    SplicedFrame frame = new SplicedFrame(SplicedFrame.references(message.size()) ? tableBytes + 1024
        : (int) (tableBytes + parts.get(0).length + message.size()));
    long offset = tableBytes;
    frame.appendLongLE(offsets);
    for (byte[] part : parts) {
      frame.appendLongLE(offset);
      offset += part.length;
    }
    frame.appendLongLE(offset);
    parts.forEach(frame::append);
    return frame.build();
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
