package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/**
 * The lifecycle's view of a process proxy, wherever it answers (built-in, plugin in this process,
 * plugin in its own process): the API's {@link ProxyClient}, with failures turned into
 * {@link io.github.kernelgate.bus.GatewayException}s as everywhere else in the gateway.
 */
public final class BusProcessProxy implements ProcessProxy {

  private final ProxyClient client;

  public BusProcessProxy(Vertx vertx, String proxyName) {
    this.client = new ProxyClient(vertx, proxyName);
  }

  public String name() {
    return client.name();
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    return gatewayFailures(client.launch(request));
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return gatewayFailures(client.isAlive(kernelId));
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    return gatewayFailures(client.signal(kernelId, signum));
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return gatewayFailures(client.waitForExit(kernelId, timeoutMillis));
  }

  @Override
  public Future<Void> kill(String kernelId) {
    return gatewayFailures(client.kill(kernelId));
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    return gatewayFailures(client.cleanup(kernelId));
  }

  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return gatewayFailures(client.adopt(kernelId, launchId, processInfo));
  }

  private static <T> Future<T> gatewayFailures(Future<T> answer) {
    return answer.recover(failure -> Future.failedFuture(BusErrors.toException(failure)));
  }
}
