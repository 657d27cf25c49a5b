package io.github.kernelgate;

import io.github.kernelgate.config.ConfigLoader;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.GatewayVersion;
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
    Vertx vertx = Vertx.vertx();
    GatewayConfig config;
    try {
      config = new ConfigLoader(vertx).load().await(30, TimeUnit.SECONDS);
    } catch (Exception invalid) {
      LOG.error("invalid configuration: {}", invalid.getMessage());
      vertx.close();
      System.exit(2);
      return;
    }
    LOG.info("kernelgate {} starting; {}", GatewayVersion.current(), config.describe());
    Gateway gateway;
    try {
      gateway = Gateway.deploy(vertx, config).await(60, TimeUnit.SECONDS);
    } catch (Exception failed) {
      LOG.error("kernelgate failed to start: {}", failed.getMessage(), failed);
      vertx.close();
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("kernelgate stopping");
      try {
        gateway.stop().await(30, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("unclean stop: {}", e.getMessage());
      }
    }, "kernelgate-shutdown"));
  }
}
