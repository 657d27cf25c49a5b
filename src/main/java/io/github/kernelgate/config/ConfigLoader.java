package io.github.kernelgate.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads the configuration through Vert.x Config with every store declared explicitly, and
 * layers them itself so the order is plain: defaults &lt; {@code conf/kernelgate.yaml} &lt;
 * environment (EG_* / KG_* names) &lt; system properties (the same names, or
 * {@code kernelgate.<key>}). Unlike EG, the environment beats the file, as 12-factor users expect.
 */
public final class ConfigLoader {

  /** Names the configuration file; the default is {@code conf/kernelgate.yaml} in the working directory. */
  public static final String CONFIG_FILE_VARIABLE = "KG_CONFIG_FILE";

  private final Vertx vertx;

  public ConfigLoader(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<GatewayConfig> load() {
    String file = firstNonBlank(System.getProperty(CONFIG_FILE_VARIABLE), System.getenv(CONFIG_FILE_VARIABLE), "conf/kernelgate.yaml");
    Future<JsonObject> fromFile = read(new ConfigStoreOptions().setType("file").setFormat("yaml").setOptional(true)
        .setConfig(new JsonObject().put("path", file)));
    Future<JsonObject> fromEnv = read(new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true).put("keys", new JsonArray(allEnvNames()))));
    Future<JsonObject> fromSystem = read(new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    return Future.all(fromFile, fromEnv, fromSystem)
        .map(all -> layer(fromFile.result(), fromEnv.result(), fromSystem.result()))
        .map(resolved -> GatewayConfig.from(resolved, System.getenv()));
  }

  /** Resolves each setting from the highest layer that sets it; values stay raw until {@link GatewayConfig}. */
  static JsonObject layer(JsonObject file, JsonObject env, JsonObject system) {
    JsonObject resolved = new JsonObject();
    for (Setting setting : Setting.values()) {
      Object value = setting.defaultValue();
      if (file.containsKey(setting.key())) {
        value = file.getValue(setting.key());
      }
      value = firstSet(env, setting.envNames(), value);
      value = firstSet(system, setting.envNames(), value);
      if (system.containsKey("kernelgate." + setting.key())) {
        value = system.getValue("kernelgate." + setting.key());
      }
      resolved.put(setting.key(), value);
    }
    return resolved;
  }

  private static Object firstSet(JsonObject layer, List<String> names, Object fallback) {
    for (String name : names) {
      if (layer.containsKey(name)) {
        return layer.getValue(name);
      }
    }
    return fallback;
  }

  private Future<JsonObject> read(ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx, new ConfigRetrieverOptions().setIncludeDefaultStores(false).addStore(store));
    return retriever.getConfig().eventually(retriever::close);
  }

  private static List<String> allEnvNames() {
    List<String> names = new ArrayList<>();
    Arrays.stream(Setting.values()).forEach(setting -> names.addAll(setting.envNames()));
    return names;
  }

  private static String firstNonBlank(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** Visible for tests: the layering without Vert.x stores. */
  static GatewayConfig resolve(Map<String, Object> file, Map<String, Object> env, Map<String, Object> system) {
    return GatewayConfig.from(layer(new JsonObject(file), new JsonObject(env), new JsonObject(system)), Map.of());
  }
}
