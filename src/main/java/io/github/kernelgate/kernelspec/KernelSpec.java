package io.github.kernelgate.kernelspec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One kernelspec: its name (the directory name), its directory and its kernel.json. Resource
 * files are the {@code logo-*}, {@code kernel.js} and {@code kernel.css} files of the directory.
 */
public record KernelSpec(String name, Path directory, JsonObject json, List<String> resourceFiles) {

  public KernelSpec {
    resourceFiles = List.copyOf(resourceFiles);
  }

  public String displayName() {
    return json.getString("display_name", name);
  }

  public String language() {
    return json.getString("language", "");
  }

  /** {@code signal} (default) or {@code message}. */
  public String interruptMode() {
    return json.getString("interrupt_mode", "signal");
  }

  public List<String> argv() {
    List<String> argv = new ArrayList<>();
    json.getJsonArray("argv", new JsonArray()).forEach(item -> argv.add(String.valueOf(item)));
    return argv;
  }

  public JsonObject env() {
    return json.getJsonObject("env", new JsonObject());
  }

  /** {@code metadata.process_proxy.config}, empty when absent. */
  public JsonObject proxyConfig() {
    JsonObject processProxy = json.getJsonObject("metadata", new JsonObject()).getJsonObject("process_proxy");
    return processProxy == null ? new JsonObject() : processProxy.getJsonObject("config", new JsonObject());
  }

  /** The API model: {@code {name, spec, resources}} with resource URLs under {@code baseUrl}. */
  public JsonObject toModel(String baseUrl) {
    JsonObject resources = new JsonObject();
    for (String file : resourceFiles) {
      String key = file.startsWith("logo-") ? file.substring(0, file.lastIndexOf('.') > 0 ? file.lastIndexOf('.') : file.length()) : file;
      resources.put(key, baseUrl + "kernelspecs/" + name + "/" + file);
    }
    return new JsonObject().put("name", name).put("spec", json.copy()).put("resources", resources);
  }
}
