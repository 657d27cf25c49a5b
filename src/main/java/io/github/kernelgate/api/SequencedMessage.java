package io.github.kernelgate.api;

import io.github.kernelgate.protocol.KernelMessage;

/** A kernel message numbered in the order its hub received it, so that replayed messages keep that order. */
record SequencedMessage(long sequence, KernelMessage message) {

  long size() {
    return message.message().size();
  }
}
