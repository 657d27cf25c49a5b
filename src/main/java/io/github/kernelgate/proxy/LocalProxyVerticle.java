package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Serves the built-in local-process proxy on {@code kernelgate.proxy.local.*}. */
public final class LocalProxyVerticle extends VerticleBase {

  private LocalProcessProxy proxy;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    proxy = new LocalProcessProxy(vertx, RuntimeDirectory.of(config), config.localProcessEnvironment());
    return proxy.handleOrphans(config.removeOrphans()).compose(done -> ProxyEndpoint.expose(vertx, ProxyNames.LOCAL, proxy));
  }

  @Override
  public Future<?> stop() {
    // Kernels whose lifecycle did not shut them down must not outlive the gateway.
    return vertx.executeBlocking(() -> {
      proxy.killAll();
      return null;
    }, false);
  }
}
