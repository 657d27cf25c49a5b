package io.github.kernelgate.api;

import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * Keeps a client WebSocket known to be alive: a ping every interval, and the socket closed with
 * 1001 when no pong came for three intervals (at least 30 s). Whichever replica holds the
 * WebSocket pings it, the kernel's owner or the replica relaying it. The holder stops the pings
 * when the socket closes (it owns the socket's close handler).
 */
final class WebSocketPings {

  private final Vertx vertx;
  private final long timer;
  private long lastPong = System.currentTimeMillis();

  private WebSocketPings(Vertx vertx, ServerWebSocket socket, int intervalSeconds, ClientMetrics metrics) {
    this.vertx = vertx;
    if (intervalSeconds <= 0) {
      timer = -1;
      return;
    }
    socket.pongHandler(pong -> lastPong = System.currentTimeMillis());
    long timeout = Math.max(3L * intervalSeconds, 30) * 1000;
    timer = vertx.setPeriodic(intervalSeconds * 1000L, tick -> {
      if (System.currentTimeMillis() - lastPong > timeout) {
        metrics.closed((short) 1001);
        socket.close((short) 1001, "no pong for " + timeout / 1000 + " s");
      } else {
        socket.writePing(Buffer.buffer("kernelgate"));
      }
    });
  }

  /** Starts pinging {@code socket} every {@code intervalSeconds} (never when 0). */
  static WebSocketPings start(Vertx vertx, ServerWebSocket socket, int intervalSeconds, ClientMetrics metrics) {
    return new WebSocketPings(vertx, socket, intervalSeconds, metrics);
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
