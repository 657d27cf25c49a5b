package io.github.kernelgate.launch;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Typed calls to the response listener for remote proxies. */
public final class LaunchBus {

  /** What a launcher needs to find the gateway. */
  public record ListenerInfo(String publicKey, String responseAddress) {
  }

  private final Vertx vertx;

  public LaunchBus(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<ListenerInfo> describe() {
    return call(Addresses.LAUNCH_DESCRIBE, new JsonObject(), 10_000)
        .map(reply -> new ListenerInfo(reply.getString("public_key"), reply.getString("response_address")));
  }

  /**
   * Registers the launch at once; completes with its decrypted connection info (504 after the
   * timeout). Accepted is a payload carrying {@code secret}, or, when {@code acceptsUnsigned},
   * one without a secret sent from the address later given to {@link #kernelAddress}.
   */
  public Future<JsonObject> expect(String kernelId, long timeoutMillis, String secret, boolean acceptsUnsigned) {
    return call(Addresses.LAUNCH_EXPECT_KERNEL, new JsonObject().put("kernel_id", kernelId).put("timeout_ms", timeoutMillis)
        .put("secret", secret).put("accepts_unsigned", acceptsUnsigned), timeoutMillis + 5_000)
        .map(reply -> reply.getJsonObject("connection_info"));
  }

  /** Tells the listener where the kernel's container or service runs. */
  public Future<Void> kernelAddress(String kernelId, String address) {
    return call(Addresses.LAUNCH_KERNEL_ADDRESS, new JsonObject().put("kernel_id", kernelId).put("address", address), 10_000).mapEmpty();
  }

  public Future<Void> cancel(String kernelId) {
    return call(Addresses.LAUNCH_CANCEL_KERNEL, new JsonObject().put("kernel_id", kernelId), 10_000).mapEmpty();
  }

  private Future<JsonObject> call(String address, JsonObject body, long timeoutMillis) {
    return JsonBus.request(vertx, address, body, timeoutMillis);
  }

}
