package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The lifecycle's view of a process proxy that answers on the event bus, wherever it runs: the
 * built-in local proxy, the Docker proxies, or a plugin. Bus failures become
 * {@link io.github.kernelgate.bus.GatewayException}s.
 */
public final class BusProcessProxy implements ProcessProxy {

  /** Headroom over a launch timeout for the proxy to report its own timeout first. */
  private static final long LAUNCH_REPLY_MARGIN_MILLIS = 10_000;
  private static final long COMMAND_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final String proxyName;

  public BusProcessProxy(Vertx vertx, String proxyName) {
    this.vertx = vertx;
    this.proxyName = proxyName;
  }

  public String name() {
    return proxyName;
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    return call(ProxyVerbs.LAUNCH, request.toJson(), request.launchTimeoutMillis() + LAUNCH_REPLY_MARGIN_MILLIS)
        .map(LaunchResult::fromJson);
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return call(ProxyVerbs.POLL, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).map(reply -> reply.getBoolean("alive", false));
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    return call(ProxyVerbs.SIGNAL, kernel(kernelId).put("signum", signum), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return call(ProxyVerbs.WAIT_EXIT, kernel(kernelId).put("timeout_ms", timeoutMillis), timeoutMillis + COMMAND_TIMEOUT_MILLIS)
        .map(reply -> reply.getBoolean("exited", false));
  }

  @Override
  public Future<Void> kill(String kernelId) {
    return call(ProxyVerbs.KILL, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    return call(ProxyVerbs.CLEANUP, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return call(ProxyVerbs.ADOPT, kernel(kernelId).put("launch_id", launchId).put("process_info", processInfo), COMMAND_TIMEOUT_MILLIS)
        .map(reply -> reply.getBoolean("alive", false));
  }

  private static JsonObject kernel(String kernelId) {
    return new JsonObject().put("kernel_id", kernelId);
  }

  private Future<JsonObject> call(String verb, JsonObject body, long timeoutMillis) {
    return JsonBus.request(vertx, Addresses.proxy(proxyName, verb), body, timeoutMillis,
        "No process proxy named '" + proxyName + "' is running (is its plugin deployed?)");
  }

}
