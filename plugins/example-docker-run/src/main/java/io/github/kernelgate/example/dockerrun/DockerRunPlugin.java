package io.github.kernelgate.example.dockerrun;

import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyPlugin;
import io.vertx.core.Vertx;

/**
 * The plugin's entry point, named in {@code META-INF/services/io.github.kernelgate.plugin.ProxyPlugin}.
 * Kernelspecs choose it with {@code "class_name": "example.DockerRunProxy"}. The docker command
 * is {@code $DOCKER_RUN_CLI} when set, else {@code docker} on the gateway's PATH.
 */
public final class DockerRunPlugin implements ProxyPlugin {

  public static final String PROXY_NAME = "example.DockerRunProxy";

  @Override
  public String proxyName() {
    return PROXY_NAME;
  }

  @Override
  public ProcessProxy createProxy(Vertx vertx) {
    String cli = System.getenv().getOrDefault("DOCKER_RUN_CLI", "docker");
    return new DockerRunProxy(vertx, PROXY_NAME, new DockerCli(cli));
  }
}
