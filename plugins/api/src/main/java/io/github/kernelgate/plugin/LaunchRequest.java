package io.github.kernelgate.plugin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a process proxy needs to start one kernel. {@code launchId} is chosen by the
 * lifecycle before the launch begins: the proxy reports this launch's exit with it (and answers
 * it in its {@link LaunchResult}), so an exit is recognised even before the launch answer arrives. {@code argv} has the lifecycle's
 * placeholders already substituted; a proxy fills its own ({@code {connection_file}} for local
 * processes). {@code spec} is the whole kernel.json, so a proxy can read its config stanza.
 */
public record LaunchRequest(String kernelId, String launchId, String kernelName, List<String> argv, Map<String, String> env,
                            String workingDir, String resourceDir, long launchTimeoutMillis, JsonObject spec) {

  public LaunchRequest {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  public JsonObject toJson() {
    return new JsonObject().put("kernel_id", kernelId).put("launch_id", launchId).put("kernel_name", kernelName)
        .put("argv", new JsonArray(new ArrayList<>(argv))).put("env", new JsonObject(new TreeMap<>(env)))
        .put("working_dir", workingDir).put("resource_dir", resourceDir)
        .put("launch_timeout_ms", launchTimeoutMillis).put("spec", spec).put("contract_version", ProxyContract.VERSION);
  }

  public static LaunchRequest fromJson(JsonObject json) {
    List<String> argv = new ArrayList<>();
    json.getJsonArray("argv", new JsonArray()).forEach(item -> argv.add(String.valueOf(item)));
    Map<String, String> env = new TreeMap<>();
    json.getJsonObject("env", new JsonObject()).forEach(entry -> env.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new LaunchRequest(json.getString("kernel_id"), json.getString("launch_id"), json.getString("kernel_name"), argv, env,
        json.getString("working_dir"), json.getString("resource_dir"),
        json.getLong("launch_timeout_ms", 30_000L), json.getJsonObject("spec", new JsonObject()));
  }
}
