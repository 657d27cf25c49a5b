package io.github.kernelgate.docker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything Docker needs to run one kernel, as a container or as a swarm service: the same
 * name, hostname, labels, env, user and network either way. Travels to the Docker verticle as JSON.
 */
public record KernelContainerSpec(String name, String image, Map<String, String> labels, List<String> env,
                                  String user, List<String> groups, String workingDir, String network,
                                  List<String> binds, int gpus) {

  public KernelContainerSpec {
    labels = Map.copyOf(labels);
    env = List.copyOf(env);
    groups = List.copyOf(groups);
    binds = List.copyOf(binds);
  }

  public JsonObject toJson() {
    return new JsonObject().put("name", name).put("image", image).put("labels", new JsonObject(new TreeMap<>(labels)))
        .put("env", new JsonArray(new ArrayList<>(env))).put("user", user).put("groups", new JsonArray(new ArrayList<>(groups)))
        .put("working_dir", workingDir).put("network", network).put("binds", new JsonArray(new ArrayList<>(binds))).put("gpus", gpus);
  }

  public static KernelContainerSpec fromJson(JsonObject json) {
    Map<String, String> labels = new TreeMap<>();
    json.getJsonObject("labels", new JsonObject()).forEach(entry -> labels.put(entry.getKey(), String.valueOf(entry.getValue())));
    return new KernelContainerSpec(json.getString("name"), json.getString("image"), labels, strings(json.getJsonArray("env")),
        json.getString("user"), strings(json.getJsonArray("groups")), json.getString("working_dir"), json.getString("network"),
        strings(json.getJsonArray("binds")), json.getInteger("gpus", 0));
  }

  private static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    if (array != null) {
      array.forEach(value -> values.add(String.valueOf(value)));
    }
    return values;
  }
}
