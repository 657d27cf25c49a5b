package io.github.kernelgate.plugin;

import io.vertx.core.Vertx;

/**
 * A plugin jar's entry point, found with {@link java.util.ServiceLoader}: the jar names its
 * implementation in {@code META-INF/services/io.github.kernelgate.plugin.ProxyPlugin}. The gateway
 * (or a plugin host process on a clustered bus) creates its proxy once and answers the proxy's
 * addresses with it; kernelspecs choose it with {@code metadata.process_proxy.class_name} equal to
 * {@link #proxyName()}.
 *
 * <p>Threading: the proxy is created and called on one Vert.x event loop. It must not block it:
 * run blocking work with {@code vertx.executeBlocking}.
 */
public interface ProxyPlugin {

  /** The name kernelspecs use: letters, digits, '.', '_' and '-'; for instance {@code acme.DockerRunProxy}. */
  String proxyName();

  /** Creates the proxy; {@code vertx} is the gateway's (or the plugin host's). */
  ProcessProxy createProxy(Vertx vertx);

  /**
   * The contract version this plugin was compiled against. Leave the default: the constant is
   * compiled into the plugin, so it says which API the jar was built with.
   */
  default int contractVersion() {
    return ProxyContract.VERSION;
  }
}
