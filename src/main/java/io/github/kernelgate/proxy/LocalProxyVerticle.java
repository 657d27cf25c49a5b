package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.RuntimeDirectory;
import io.github.kernelgate.kernel.store.KernelStore;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Serves the built-in local-process proxy on {@code kernelgate.proxy.local.*}. At start it deals
 * with this instance's orphans (the kernels recorded for take-over excepted); at stop it kills what
 * still runs, except the kernels recorded for the next gateway.
 */
public final class LocalProxyVerticle extends VerticleBase {

  private GatewayConfig config;
  private LocalProcessProxy proxy;

  @Override
  public Future<?> start() {
    config = GatewayConfig.fromJson(config());
    proxy = new LocalProcessProxy(vertx, RuntimeDirectory.of(config), config.localProcessEnvironment(), config.instanceId());
    return vertx.executeBlocking(() -> {
      proxy.handleOrphans(config.removeOrphans(), KernelStore.idsToTakeOver(config));
      return null;
    }, false).compose(done -> ProxyEndpoint.exposeInThisProcess(vertx, ProxyNames.LOCAL, proxy));
  }

  @Override
  public Future<?> stop() {
    // Kernels whose lifecycle did not shut them down must not outlive the gateway, unless kept for the next one.
    return vertx.executeBlocking(() -> {
      proxy.killAllBut(KernelStore.idsToTakeOver(config));
      return null;
    }, false);
  }
}
