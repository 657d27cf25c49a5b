package io.github.kernelgate.api;

import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.LegacyFraming;

/**
 * A kernel message numbered in the order its hub received it, so that replayed messages keep that
 * order. Shared by every client of the kernel and the replay buffer: what framing needs to know
 * about the message's bytes is found out once here, not once per client.
 */
final class SequencedMessage {

  private final long sequence;
  private final KernelMessage message;
  /** Null until a legacy client needs it: whether the kernel's JSON parts are well-formed UTF-8. */
  private Boolean utf8;

  SequencedMessage(long sequence, KernelMessage message) {
    this.sequence = sequence;
    this.message = message;
  }

  long sequence() {
    return sequence;
  }

  KernelMessage message() {
    return message;
  }

  long size() {
    return message.message().size();
  }

  /** Scanned on first use (a multi-megabyte output fanned out to many legacy clients is scanned once). */
  boolean isUtf8() {
    if (utf8 == null) {
      utf8 = LegacyFraming.isUtf8(message.message());
    }
    return utf8;
  }
}
