package io.github.kernelgate.launch;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.json.JsonObject;

/**
 * Talks to a kernel launcher's comm port: one short TCP connection per request, the JSON
 * written and the connection closed (the launcher reads to EOF and never answers).
 * {@code {"signum": 2}} interrupts, {@code {"signum": 0}} probes, {@code {"shutdown": 1}} ends
 * the listener. Bounded by a timeout so a dead container cannot stall a lifecycle call.
 */
public final class CommPortClient {

  private final Vertx vertx;
  private final NetClient client;
  private final long timeoutMillis;

  public CommPortClient(Vertx vertx, long timeoutMillis) {
    this.vertx = vertx;
    this.timeoutMillis = timeoutMillis;
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout((int) timeoutMillis));
  }

  public Future<Void> signal(String host, int port, int signum) {
    return send(host, port, new JsonObject().put("signum", signum));
  }

  public Future<Void> shutdown(String host, int port) {
    return send(host, port, new JsonObject().put("shutdown", 1));
  }

  public Future<Void> send(String host, int port, JsonObject request) {
    Promise<Void> sent = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, fired -> sent.tryFail(
        GatewayException.unavailable("comm port " + host + ":" + port + " did not accept the request within " + timeoutMillis + " ms")));
    client.connect(port, host)
        .compose(socket -> socket.end(request.toBuffer()))
        .onComplete(done -> {
          vertx.cancelTimer(timer);
          if (done.succeeded()) {
            sent.tryComplete();
          } else {
            sent.tryFail(GatewayException.unavailable("comm port " + host + ":" + port + ": " + done.cause().getMessage()));
          }
        });
    return sent.future();
  }

  public Future<Void> close() {
    return client.close();
  }
}
