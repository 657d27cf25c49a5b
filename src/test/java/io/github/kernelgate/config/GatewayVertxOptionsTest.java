package io.github.kernelgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

/** The gateway's Vert.x runs on the native epoll transport on Linux (x86_64, the platform it ships for). */
class GatewayVertxOptionsTest {

  @Test
  void theNativeTransportIsInUseOnLinux() {
    Vertx vertx = Vertx.vertx(GatewayVertxOptions.create());
    try {
      assertThat(vertx.isNativeTransportEnabled())
          .as("native transport unavailable: %s", vertx.unavailableNativeTransportCause()).isTrue();
    } finally {
      vertx.close().await();
    }
  }
}
