package io.github.kernelgate.proxy;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Chooses the proxy for a kernelspec from {@code metadata.process_proxy.class_name}: EG's class
 * names and KernelGate's short names map to built-in proxies; any other name is taken as the name
 * of a plugin proxy answering on {@code kernelgate.proxy.<name>.*}.
 */
public final class ProxyNames {

  public static final String LOCAL = "local";
  public static final String DOCKER = "docker";
  public static final String SWARM = "swarm";
  /** KernelGate's launcher as a local process: the container handshake without containers. */
  public static final String LAUNCHER = "launcher";

  private static final Pattern PLUGIN_NAME = Pattern.compile("[A-Za-z0-9_.\\-]{1,200}");

  private static final Map<String, String> KNOWN = Map.of(
      "enterprise_gateway.services.processproxies.processproxy.LocalProcessProxy", LOCAL,
      "io.github.kernelgate.proxy.LocalProcessProxy", LOCAL,
      LOCAL, LOCAL,
      "enterprise_gateway.services.processproxies.docker_swarm.DockerSwarmProcessProxy", SWARM,
      "enterprise_gateway.services.processproxies.docker_swarm.DockerProcessProxy", DOCKER,
      DOCKER, DOCKER,
      SWARM, SWARM,
      LAUNCHER, LAUNCHER);

  private ProxyNames() {
  }

  /** Whether a plugin may take {@code name}: a usable name that no built-in proxy answers to. */
  public static boolean isFreeForPlugins(String name) {
    return name != null && PLUGIN_NAME.matcher(name).matches() && !KNOWN.containsKey(name);
  }

  /** The proxy name for a kernel.json; no process_proxy stanza means a local process. */
  public static String forSpec(JsonObject spec) {
    JsonObject processProxy = spec.getJsonObject("metadata", new JsonObject()).getJsonObject("process_proxy");
    String className = processProxy == null ? null : processProxy.getString("class_name");
    if (className == null || className.isBlank()) {
      return LOCAL;
    }
    String known = KNOWN.get(className.trim());
    if (known != null) {
      return known;
    }
    if (!PLUGIN_NAME.matcher(className.trim()).matches()) {
      throw new IllegalArgumentException("process proxy class name is not usable: " + className);
    }
    return className.trim();
  }
}
