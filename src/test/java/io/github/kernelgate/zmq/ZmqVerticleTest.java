package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.ops.GatewayMetrics;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.Channel;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bridge verticle's own bookkeeping, over its bus addresses. */
class ZmqVerticleTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** A port nothing listens on: the kernel's sockets keep reconnecting, and requests wait. */
  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * A disconnect while a gateway request waits for the kernel (a launch cut short during its
   * kernel_info) fails that request at once and is answered: the launch's cleanup once waited
   * for the bus's timeout, 10 s, because removing the request threw.
   */
  @Test
  void aDisconnectFailsTheKernelsWaitingRequestsAndIsAnswered() throws Exception {
    vertx.deployVerticle(new ZmqVerticle(new GatewayMetrics().messages()),
        new DeploymentOptions().setConfig(GatewayConfig.defaults(Map.of()).toJson())).await(10, TimeUnit.SECONDS);
    ZmqBus zmq = new ZmqBus(vertx);
    int port = closedPort();
    zmq.connect("unreachable", new ConnectionInfo("127.0.0.1", "tcp", port, port, port, port, port, "", "hmac-sha256"))
        .await(10, TimeUnit.SECONDS);
    Future<JsonObject> waiting = zmq.request("unreachable", Channel.SHELL, "kernel_info_request", new JsonObject(), 60_000);
    Future<JsonObject> other = zmq.request("unreachable", Channel.CONTROL, "kernel_info_request", new JsonObject(), 60_000);

    zmq.disconnect("unreachable").await(10, TimeUnit.SECONDS);

    for (Future<JsonObject> request : java.util.List.of(waiting, other)) {
      Throwable failure = request.transform(done -> Future.succeededFuture(done.cause())).await(10, TimeUnit.SECONDS);
      assertThat(failure).isInstanceOf(GatewayException.class);
      assertThat(((GatewayException) failure).status()).isEqualTo(503);
      assertThat(failure.getMessage()).contains("disconnected");
    }
  }
}
