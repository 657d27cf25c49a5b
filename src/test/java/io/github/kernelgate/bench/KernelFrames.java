package io.github.kernelgate.bench;

import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The wire frames of a Jupyter message, for the benchmark's direct clients (JeroMQ and raw ZMTP). */
final class KernelFrames {

  static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

  private KernelFrames() {
  }

  /** What a client sends: the delimiter, the signature, the four JSON parts. */
  static List<byte[]> signed(MessageSigner signer, WireMessage message) {
    List<byte[]> frames = new ArrayList<>(6);
    frames.add(DELIMITER);
    frames.add(signer.sign(message));
    frames.add(message.header());
    frames.add(message.parentHeader());
    frames.add(message.metadata());
    frames.add(message.content());
    return frames;
  }

  /** The message after the delimiter, its signature checked; null without a delimiter. */
  static WireMessage verified(MessageSigner signer, List<byte[]> frames) {
    for (int i = 0; i + 5 < frames.size(); i++) {
      if (Arrays.equals(frames.get(i), DELIMITER)) {
        WireMessage message = new WireMessage(frames.get(i + 2), frames.get(i + 3), frames.get(i + 4), frames.get(i + 5),
            frames.subList(i + 6, frames.size()));
        if (!signer.verify(frames.get(i + 1), message)) {
          throw new IllegalStateException("bad signature from kernel");
        }
        return message;
      }
    }
    return null;
  }
}
