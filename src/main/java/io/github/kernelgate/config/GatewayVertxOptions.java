package io.github.kernelgate.config;

import io.vertx.core.VertxOptions;

/** The Vert.x options every gateway process starts from, standalone or clustered. */
public final class GatewayVertxOptions {

  private GatewayVertxOptions() {
  }

  /**
   * Native epoll transport where the platform has it (Vert.x falls back to NIO and says why in
   * {@code Vertx.unavailableNativeTransportCause()}). Every kernel message wakes an event loop from
   * the ZMQ thread; with NIO each such wake-up cost an eventfd write, the woken loop's self-wake
   * (Netty 4.2's NIO handler wakes its selector again after every wake-up) and a contended monitor
   * in the JDK's selector: 75 system calls on the event loops per execute, 24 with epoll.
   */
  public static VertxOptions create() {
    return new VertxOptions().setPreferNativeTransport(true);
  }
}
