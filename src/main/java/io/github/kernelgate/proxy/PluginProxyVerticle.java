package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.plugin.ProxyPlugin;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the process-proxy plugins of {@code KG_PLUGIN_DIR}: each plugin's proxy answers its
 * addresses from this process (in the gateway: like the built-in proxies, each replica its own),
 * or for the whole cluster (in a plugin host, {@link io.github.kernelgate.PluginHost}). A plugin
 * whose proxy cannot be created is refused and logged; the others are served.
 */
public final class PluginProxyVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(PluginProxyVerticle.class);

  private final boolean acrossCluster;
  private final List<ProxyEndpoint> endpoints = new ArrayList<>();

  /** @param acrossCluster answer requests from every member of a clustered bus (a plugin host), not only this process's */
  public PluginProxyVerticle(boolean acrossCluster) {
    this.acrossCluster = acrossCluster;
  }

  @Override
  public Future<?> start() {
    String directory = GatewayConfig.fromJson(config()).pluginDir();
    if (directory.isBlank()) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> PluginJars.load(Path.of(directory)), false)
        .compose(plugins -> Future.all(plugins.stream().map(this::serve).toList()));
  }

  private Future<Void> serve(ProxyPlugin plugin) {
    ProcessProxy proxy;
    try {
      proxy = plugin.createProxy(vertx);
    } catch (RuntimeException | LinkageError broken) {
      LOG.atError().addKeyValue("proxy", plugin.proxyName()).log("plugin refused: its proxy cannot be created: {}", broken.toString());
      return Future.succeededFuture();
    }
    Future<ProxyEndpoint> exposed = acrossCluster ? ProxyEndpoint.expose(vertx, plugin.proxyName(), proxy)
        : ProxyEndpoint.exposeInThisProcess(vertx, plugin.proxyName(), proxy);
    return exposed.onSuccess(endpoints::add)
        .onSuccess(endpoint -> LOG.atInfo().addKeyValue("proxy", plugin.proxyName()).addKeyValue("across_cluster", acrossCluster)
            .log("plugin proxy serving"))
        .mapEmpty();
  }

  @Override
  public Future<?> stop() {
    return Future.all(endpoints.stream().map(ProxyEndpoint::close).toList());
  }
}
