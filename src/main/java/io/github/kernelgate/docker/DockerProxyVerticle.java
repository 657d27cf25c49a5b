package io.github.kernelgate.docker;

import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.proxy.ProxyNames;
import io.github.kernelgate.proxy.RemoteLaunchSettings;
import io.github.kernelgate.proxy.RemoteProcessProxy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Serves the two container proxies: {@code kernelgate.proxy.docker.*} (plain containers, EG's
 * DockerProcessProxy) and {@code kernelgate.proxy.swarm.*} (swarm services, EG's
 * DockerSwarmProcessProxy). Both use the launch handshake and reach Docker only through the
 * Docker verticle.
 */
public final class DockerProxyVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    DockerSettings settings = DockerSettings.from(config);
    DockerBus docker = new DockerBus(vertx);
    KernelContainerSpecs specs = new KernelContainerSpecs(settings);
    RemoteLaunchSettings launch = RemoteLaunchSettings.from(config);
    return Future.all(
        ProxyEndpoint.exposeInThisProcess(vertx, ProxyNames.DOCKER, new RemoteProcessProxy(vertx, new ContainerRuntime(vertx, docker, specs, settings), launch)),
        ProxyEndpoint.exposeInThisProcess(vertx, ProxyNames.SWARM, new RemoteProcessProxy(vertx, new ServiceRuntime(vertx, docker, specs, settings), launch)));
  }
}
