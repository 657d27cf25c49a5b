package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;

/** Serves the built-in local-process proxy on {@code kernelgate.proxy.local.*}. */
public final class LocalProxyVerticle extends VerticleBase {

  private LocalProcessProxy proxy;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    Path runtimeDir = config.runtimeDir().isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "kernelgate-" + System.getProperty("user.name"))
        : Path.of(config.runtimeDir());
    proxy = new LocalProcessProxy(vertx, runtimeDir, config.localProcessEnvironment());
    return ProxyEndpoint.expose(vertx, ProxyNames.LOCAL, proxy);
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
