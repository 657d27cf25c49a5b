package io.github.kernelgate;

import io.github.kernelgate.cluster.ClusteredVertx;
import io.github.kernelgate.cluster.Replica;
import io.github.kernelgate.config.ConfigLoader;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.ops.GatewayMetrics;
import io.github.kernelgate.proxy.PluginProxyVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs process-proxy plugins in a process of their own that joins the gateways' clustered event
 * bus: {@code java -cp kernelgate.jar io.github.kernelgate.PluginHost} with the replicas' cluster
 * settings ({@code KG_CLUSTER=true}, {@code KG_CLUSTER_MEMBERS}, ...) and {@code KG_PLUGIN_DIR}.
 * Its proxies answer every replica, so a plugin can be upgraded or restarted without the gateways.
 * It serves no API and owns no kernels.
 */
public final class PluginHost {

  private static final Logger LOG = LoggerFactory.getLogger(PluginHost.class);

  private PluginHost() {
  }

  public static void main(String[] args) throws Exception {
    Vertx bootstrap = Vertx.vertx();
    GatewayConfig config;
    try {
      config = new ConfigLoader(bootstrap).load().await(30, TimeUnit.SECONDS);
      if (!config.clustered() || config.pluginDir().isBlank()) {
        throw new IllegalArgumentException("a plugin host needs KG_CLUSTER=true (with the gateways' cluster settings) and KG_PLUGIN_DIR");
      }
    } catch (Exception invalid) {
      LOG.error("invalid configuration: {}", invalid.getMessage());
      bootstrap.close();
      System.exit(2);
      return;
    }
    bootstrap.close().await(10, TimeUnit.SECONDS);
    Vertx vertx;
    try {
      // A member of the cluster like a replica, under a name of its own; it never owns kernels.
      Replica host = Replica.starting("plugin-host-" + UUID.randomUUID().toString().substring(0, 8));
      vertx = ClusteredVertx.start(config, host, new GatewayMetrics()).await(120, TimeUnit.SECONDS).vertx();
      vertx.deployVerticle(new PluginProxyVerticle(true), new DeploymentOptions().setConfig(config.toJson())).await(60, TimeUnit.SECONDS);
    } catch (Exception failed) {
      LOG.error("plugin host failed to start: {}", failed.getMessage(), failed);
      System.exit(1);
      return;
    }
    LOG.atInfo().addKeyValue("plugin_dir", config.pluginDir()).log("plugin host serving");
    Vertx running = vertx;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        running.close().await(20, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("unclean stop: {}", e.getMessage());
      }
    }, "plugin-host-shutdown"));
  }
}
