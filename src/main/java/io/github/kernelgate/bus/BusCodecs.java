package io.github.kernelgate.bus;

import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.OutgoingMessage;
import io.vertx.core.Vertx;

/** Registers the local (zero-copy) codecs of the hot path once per Vert.x instance. */
public final class BusCodecs {

  private BusCodecs() {
  }

  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(KernelMessage.class, new LocalCodec<>(KernelMessage.class));
      vertx.eventBus().registerDefaultCodec(OutgoingMessage.class, new LocalCodec<>(OutgoingMessage.class));
    } catch (IllegalStateException alreadyRegistered) {
      // A second gateway in the same Vert.x (tests) shares the codecs.
    }
  }
}
