package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a received multipart ZMQ message into identities, signature and {@link WireMessage}:
 * {@code [identities..., <IDS|MSG>, signature, header, parent, metadata, content, buffers...]}.
 */
final class FrameParser {

  static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

  /** A parsed message with its signature frame. */
  record Signed(byte[] signature, WireMessage message) {
  }

  private FrameParser() {
  }

  /** The parsed message, or null when the frames are not a Jupyter message. */
  static Signed parse(List<byte[]> frames) {
    int delimiter = -1;
    for (int i = 0; i < frames.size(); i++) {
      if (Arrays.equals(frames.get(i), DELIMITER)) {
        delimiter = i;
        break;
      }
    }
    if (delimiter < 0 || frames.size() < delimiter + 6) {
      return null;
    }
    int first = delimiter + 2;
    WireMessage message = new WireMessage(frames.get(first), frames.get(first + 1), frames.get(first + 2),
        frames.get(first + 3), frames.subList(first + 4, frames.size()));
    return new Signed(frames.get(delimiter + 1), message);
  }
}
