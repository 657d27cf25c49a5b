package io.github.kernelgate;

import io.github.kernelgate.cluster.ClusteredVertx;
import io.github.kernelgate.cluster.Replica;
import io.github.kernelgate.config.ConfigLoader;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.GatewayVersion;
import io.github.kernelgate.config.GatewayVertxOptions;
import io.github.kernelgate.config.RuntimeDirectory;
import io.github.kernelgate.kernel.store.GatewayInstance;
import io.github.kernelgate.ops.GatewayMetrics;
import io.github.kernelgate.ops.HeapTrimmer;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts KernelGate: reads the configuration, deploys the gateway, stops it cleanly on SIGTERM. */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {
  }

  public static void main(String[] args) throws Exception {
    Vertx bootstrap = Vertx.vertx();
    GatewayConfig config;
    try {
      config = new ConfigLoader(bootstrap).load().await(30, TimeUnit.SECONDS);
    } catch (Exception invalid) {
      LOG.error("invalid configuration: {}", invalid.getMessage());
      bootstrap.close();
      System.exit(2);
      return;
    }
    LOG.info("kernelgate {} starting; {}", GatewayVersion.current(), config.describe());
    // The configuration was read on a plain Vert.x; the gateway runs on one that reports its metrics.
    bootstrap.close().await(10, TimeUnit.SECONDS);
    GatewayMetrics metrics = new GatewayMetrics();
    Vertx vertx = null;
    Gateway gateway;
    try {
      if (config.clustered()) {
        // A replica's membership names the instance, so the state directory is claimed first.
        GatewayInstance instance = GatewayInstance.claim(RuntimeDirectory.stateOf(config), config.instanceId());
        ClusteredVertx.Started node = ClusteredVertx.start(config, Replica.starting(instance.id()), metrics).await(120, TimeUnit.SECONDS);
        vertx = node.vertx();
        gateway = Gateway.deployReplica(node, config, instance, metrics).await(60, TimeUnit.SECONDS);
      } else {
        vertx = metrics.instrument(Vertx.builder(), GatewayVertxOptions.create()).build();
        gateway = Gateway.deploy(vertx, config, metrics).await(60, TimeUnit.SECONDS);
      }
      HeapTrimmer.start(vertx);
      if (!vertx.isNativeTransportEnabled()) {
        LOG.info("native transport unavailable, running on NIO: {}", String.valueOf(vertx.unavailableNativeTransportCause()));
      }
    } catch (Exception failed) {
      LOG.error("kernelgate failed to start: {}", failed.getMessage(), failed);
      if (vertx != null) {
        vertx.close();
      }
      System.exit(1);
      return;
    }
    Vertx running = vertx;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("kernelgate stopping");
      try {
        gateway.stop().await(30, TimeUnit.SECONDS);
        running.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("unclean stop: {}", e.getMessage());
      }
    }, "kernelgate-shutdown"));
  }
}
