package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Typed calls from the API to the kernel lifecycle verticle; failures arrive as GatewayExceptions. */
final class KernelBus {

  /** Starts and restarts carry their own launch timeouts; the bus must not give up first. */
  private static final long LAUNCH_TIMEOUT_MILLIS = 24L * 3600 * 1000;
  private static final long COMMAND_TIMEOUT_MILLIS = 120_000;

  private final Vertx vertx;

  KernelBus(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<JsonObject> start(JsonObject body) {
    return call(Addresses.KERNEL_START, body, LAUNCH_TIMEOUT_MILLIS);
  }

  Future<JsonObject> list() {
    return call(Addresses.KERNEL_LIST, new JsonObject(), COMMAND_TIMEOUT_MILLIS);
  }

  Future<JsonObject> get(String kernelId) {
    return call(Addresses.KERNEL_GET, kernel(kernelId), COMMAND_TIMEOUT_MILLIS);
  }

  Future<JsonObject> shutdown(String kernelId) {
    return call(Addresses.KERNEL_SHUTDOWN, kernel(kernelId), COMMAND_TIMEOUT_MILLIS);
  }

  Future<JsonObject> interrupt(String kernelId) {
    return call(Addresses.KERNEL_INTERRUPT, kernel(kernelId), COMMAND_TIMEOUT_MILLIS);
  }

  Future<JsonObject> restart(String kernelId) {
    return call(Addresses.KERNEL_RESTART, kernel(kernelId), LAUNCH_TIMEOUT_MILLIS);
  }

  Future<JsonObject> session(String address, JsonObject body) {
    long timeout = address.equals(Addresses.SESSION_CREATE) || address.equals(Addresses.SESSION_UPDATE)
        ? LAUNCH_TIMEOUT_MILLIS : COMMAND_TIMEOUT_MILLIS;
    return call(address, body, timeout);
  }

  private static JsonObject kernel(String kernelId) {
    return new JsonObject().put("kernel_id", kernelId);
  }

  private Future<JsonObject> call(String address, JsonObject body, long timeoutMillis) {
    return JsonBus.request(vertx, address, body, timeoutMillis);
  }

}
