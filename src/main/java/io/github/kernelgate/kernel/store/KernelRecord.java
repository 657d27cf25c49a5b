package io.github.kernelgate.kernel.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What a gateway must know to take a running kernel over after a restart: who it is (id, spec,
 * user, the environment and path it was started with), how it runs (its proxy and that proxy's
 * details of the launch: container or service id, address, comm port) and how to reach it (the
 * connection info, key included), and the sessions (/api/sessions) that name it.
 */
public record KernelRecord(String kernelId, String specName, String proxyName, String username, Map<String, String> env,
                           String path, long launchTimeoutMillis, String launchId, JsonObject connectionInfo,
                           JsonObject processInfo, JsonArray sessions) {

  /** Bumped when the shape changes; a record of another version is refused by name, not misread. */
  public static final int VERSION = 1;

  public JsonObject toJson() {
    return new JsonObject().put("version", VERSION).put("kernel_id", kernelId).put("spec_name", specName)
        .put("proxy_name", proxyName).put("username", username).put("env", new JsonObject(Map.copyOf(env)))
        .put("path", path).put("launch_timeout_ms", launchTimeoutMillis).put("launch_id", launchId)
        .put("connection_info", connectionInfo).put("process_info", processInfo).put("sessions", sessions);
  }

  /** The record in {@code json}; an IllegalArgumentException naming what is wrong otherwise. */
  public static KernelRecord fromJson(JsonObject json) {
    if (json.getInteger("version", 0) != VERSION) {
      throw new IllegalArgumentException("record version " + json.getValue("version") + " is not " + VERSION);
    }
    String kernelId = required(json, "kernel_id");
    JsonObject env = json.getJsonObject("env", new JsonObject());
    Map<String, String> variables = new java.util.TreeMap<>();
    env.forEach(entry -> variables.put(entry.getKey(), String.valueOf(entry.getValue())));
    JsonObject connection = json.getJsonObject("connection_info");
    if (connection == null) {
      throw new IllegalArgumentException("no connection_info");
    }
    return new KernelRecord(kernelId, required(json, "spec_name"), required(json, "proxy_name"), required(json, "username"),
        variables, json.getString("path"), json.getLong("launch_timeout_ms", 60_000L), required(json, "launch_id"), connection,
        json.getJsonObject("process_info", new JsonObject()), json.getJsonArray("sessions", new JsonArray()));
  }

  private static String required(JsonObject json, String field) {
    Object value = json.getValue(field);
    if (!(value instanceof String text) || text.isBlank()) {
      throw new IllegalArgumentException("no " + field);
    }
    return text;
  }
}
