package io.github.kernelgate.zmq;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Typed calls to the ZMQ bridge verticle for the lifecycle. */
public final class ZmqBus {

  private final Vertx vertx;

  public ZmqBus(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Opens (or re-points, after a restart) the kernel's sockets. */
  public Future<Void> connect(String kernelId, ConnectionInfo info) {
    return call(Addresses.ZMQ_CONNECT, new JsonObject().put("kernel_id", kernelId).put("connection_info", info.toJson()), 10_000).mapEmpty();
  }

  public Future<Void> disconnect(String kernelId) {
    return call(Addresses.ZMQ_DISCONNECT, new JsonObject().put("kernel_id", kernelId), 10_000).mapEmpty();
  }

  /** Completes when the kernel answers kernel_info and its iopub messages arrive; fails with 504 after the timeout. */
  public Future<Void> awaitReady(String kernelId, long timeoutMillis) {
    return call(Addresses.ZMQ_AWAIT_READY, new JsonObject().put("kernel_id", kernelId).put("timeout_ms", timeoutMillis),
        timeoutMillis + 5_000).mapEmpty();
  }

  /** Sends a gateway request and answers the kernel's reply {@code {msg_type, content}}. */
  public Future<JsonObject> request(String kernelId, Channel channel, String msgType, JsonObject content, long timeoutMillis) {
    JsonObject body = new JsonObject().put("kernel_id", kernelId).put("channel", channel.wireName())
        .put("msg_type", msgType).put("content", content).put("timeout_ms", timeoutMillis);
    return call(Addresses.ZMQ_REQUEST, body, timeoutMillis + 5_000);
  }

  private Future<JsonObject> call(String address, JsonObject body, long timeoutMillis) {
    return JsonBus.request(vertx, address, body, timeoutMillis);
  }

}
