package io.github.kernelgate.plugin;

import io.vertx.core.json.JsonObject;

/**
 * A started kernel: where to connect, an id for this launch (exit events name it, so a restart
 * never mistakes the old process's exit for the new one's) and the proxy's own details, kept so
 * a kernel can be found again (pid, container id...).
 */
public record LaunchResult(String launchId, ConnectionInfo connectionInfo, JsonObject processInfo) {

  public JsonObject toJson() {
    return new JsonObject().put("launch_id", launchId).put("connection_info", connectionInfo.toJson())
        .put("process_info", processInfo);
  }

  public static LaunchResult fromJson(JsonObject json) {
    return new LaunchResult(json.getString("launch_id"), ConnectionInfo.fromJson(json.getJsonObject("connection_info")),
        json.getJsonObject("process_info", new JsonObject()));
  }
}
