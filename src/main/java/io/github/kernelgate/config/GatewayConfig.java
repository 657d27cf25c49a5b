package io.github.kernelgate.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The effective, validated configuration. It travels to every verticle as JSON
 * ({@link #toJson()} / {@link #fromJson(JsonObject)}), so a verticle never reads the
 * environment itself.
 */
public final class GatewayConfig {

  /** Variables of the gateway's own environment that a local kernel process needs to run at all. */
  public static final List<String> LOCAL_PROCESS_BASE_ENV = List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR", "USER");

  private static final String VALUES = "values";
  private static final String INHERITED = "inherited_environment";
  private static final String LOCAL_BASE = "local_process_environment";
  private static final Pattern INSTANCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");

  private final JsonObject values;
  private final Map<String, String> inheritedEnvironment;
  private final Map<String, String> localProcessEnvironment;

  private GatewayConfig(JsonObject values, Map<String, String> inheritedEnvironment, Map<String, String> localProcessEnvironment) {
    this.values = values;
    this.inheritedEnvironment = Map.copyOf(inheritedEnvironment);
    this.localProcessEnvironment = Map.copyOf(localProcessEnvironment);
  }

  /** Types and validates raw values; {@code processEnv} supplies the values of EG_INHERITED_ENVS names. */
  static GatewayConfig from(JsonObject raw, Map<String, String> processEnv) {
    JsonObject typed = typedValues(raw);
    if (typed.getInteger(Setting.PORT.key()) < 0 || typed.getInteger(Setting.PORT.key()) > 65535) {
      throw new IllegalArgumentException("port must be between 0 and 65535");
    }
    for (Setting positive : List.of(Setting.WS_MAX_PENDING_BYTES, Setting.WS_SLOW_CLIENT_TIMEOUT)) {
      if (typed.getInteger(positive.key()) < 1) {
        throw new IllegalArgumentException(positive.key() + " (" + positive.envNames().get(0) + ") must be at least 1");
      }
    }
    String instanceId = typed.getString(Setting.INSTANCE_ID.key());
    if (!instanceId.isEmpty() && !INSTANCE_ID.matcher(instanceId).matches()) {
      throw new IllegalArgumentException("instance_id (KG_INSTANCE_ID) must be 1-63 letters, digits, '.', '_' or '-', starting with a"
          + " letter or digit (it becomes a Docker label)");
    }
    Map<String, String> inherited = new TreeMap<>();
    for (Object name : typed.getJsonArray(Setting.INHERITED_ENVS.key())) {
      String value = processEnv.get((String) name);
      if (value != null) {
        inherited.put((String) name, value);
      }
    }
    inherited.keySet().removeAll(Set.of("EG_AUTH_TOKEN", "KG_AUTH_TOKEN"));
    Map<String, String> localBase = new TreeMap<>();
    for (String name : LOCAL_PROCESS_BASE_ENV) {
      if (processEnv.get(name) != null) {
        localBase.put(name, processEnv.get(name));
      }
    }
    return new GatewayConfig(typed, inherited, localBase);
  }

  /** Every setting typed and checked; the base URL normalized. */
  private static JsonObject typedValues(JsonObject raw) {
    JsonObject typed = new JsonObject();
    for (Setting setting : Setting.values()) {
      typed.put(setting.key(), typed(setting, raw.getValue(setting.key())));
    }
    typed.put(Setting.BASE_URL.key(), normalizeBaseUrl(typed.getString(Setting.BASE_URL.key())));
    return typed;
  }

  private static Object typed(Setting setting, Object value) {
    String text = value == null ? "" : String.valueOf(value).trim();
    try {
      return switch (setting.type()) {
        case STRING, SECRET -> value == null ? "" : String.valueOf(value);
        case INT -> value instanceof Number number ? number.intValue() : Integer.parseInt(text.isEmpty() ? setting.defaultValue() : text);
        case BOOLEAN -> value instanceof Boolean flag ? flag : parseBoolean(text.isEmpty() ? setting.defaultValue() : text);
        case LIST -> value instanceof JsonArray array ? array : splitList(text);
      };
    } catch (IllegalArgumentException bad) {
      throw new IllegalArgumentException("Invalid value for " + setting.key() + " (" + setting.envNames().get(0) + "): '" + text + "'", bad);
    }
  }

  private static boolean parseBoolean(String text) {
    return switch (text.toLowerCase()) {
      case "true", "1", "yes", "on" -> true;
      case "false", "0", "no", "off" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  private static JsonArray splitList(String text) {
    List<String> items = new ArrayList<>();
    Arrays.stream(text.split(",")).map(String::trim).filter(item -> !item.isEmpty()).forEach(items::add);
    return new JsonArray(items);
  }

  private static String normalizeBaseUrl(String base) {
    String trimmed = base == null || base.isBlank() ? "/" : base.trim();
    if (!trimmed.startsWith("/")) {
      trimmed = "/" + trimmed;
    }
    return trimmed.endsWith("/") ? trimmed : trimmed + "/";
  }

  public JsonObject toJson() {
    return new JsonObject().put(VALUES, values.copy())
        .put(INHERITED, new JsonObject(new LinkedHashMap<>(inheritedEnvironment)))
        .put(LOCAL_BASE, new JsonObject(new LinkedHashMap<>(localProcessEnvironment)));
  }

  public static GatewayConfig fromJson(JsonObject json) {
    return new GatewayConfig(json.getJsonObject(VALUES), toStringMap(json.getJsonObject(INHERITED)), toStringMap(json.getJsonObject(LOCAL_BASE)));
  }

  private static Map<String, String> toStringMap(JsonObject json) {
    Map<String, String> map = new TreeMap<>();
    json.forEach(entry -> map.put(entry.getKey(), String.valueOf(entry.getValue())));
    return map;
  }

  /** Every setting with secrets masked and only the names of inherited variables: safe to log. */
  public String describe() {
    StringBuilder text = new StringBuilder("effective configuration:");
    for (Setting setting : Setting.values()) {
      Object value = values.getValue(setting.key());
      if (setting.type() == Setting.Type.SECRET && !String.valueOf(value).isEmpty()) {
        value = "********";
      }
      text.append("\n  ").append(setting.key()).append(" (").append(setting.envNames().get(0)).append(") = ").append(value);
    }
    text.append("\n  inherited variables present: ").append(inheritedEnvironment.keySet());
    return text.toString();
  }

  private String string(Setting setting) {
    return values.getString(setting.key());
  }

  private int integer(Setting setting) {
    return values.getInteger(setting.key());
  }

  private boolean flag(Setting setting) {
    return values.getBoolean(setting.key());
  }

  private List<String> list(Setting setting) {
    List<String> items = new ArrayList<>();
    values.getJsonArray(setting.key()).forEach(item -> items.add(String.valueOf(item)));
    return List.copyOf(items);
  }

  public int port() { return integer(Setting.PORT); }
  public String ip() { return string(Setting.IP); }
  /** Always starts and ends with a slash. */
  public String baseUrl() { return string(Setting.BASE_URL); }
  public String authToken() { return string(Setting.AUTH_TOKEN); }
  public String allowCredentials() { return string(Setting.ALLOW_CREDENTIALS); }
  public String allowHeaders() { return string(Setting.ALLOW_HEADERS); }
  public String allowMethods() { return string(Setting.ALLOW_METHODS); }
  public String allowOrigin() { return string(Setting.ALLOW_ORIGIN); }
  public String exposeHeaders() { return string(Setting.EXPOSE_HEADERS); }
  public String maxAge() { return string(Setting.MAX_AGE); }
  /** Negative: unlimited. */
  public int maxKernels() { return integer(Setting.MAX_KERNELS); }
  /** Negative: unlimited. */
  public int maxKernelsPerUser() { return integer(Setting.MAX_KERNELS_PER_USER); }
  public String defaultKernelName() { return string(Setting.DEFAULT_KERNEL_NAME); }
  public boolean listKernels() { return flag(Setting.LIST_KERNELS); }
  public List<String> clientEnvs() { return list(Setting.CLIENT_ENVS); }
  public List<String> allowedKernels() { return list(Setting.ALLOWED_KERNELS); }
  public List<String> unauthorizedUsers() { return list(Setting.UNAUTHORIZED_USERS); }
  public List<String> authorizedUsers() { return list(Setting.AUTHORIZED_USERS); }
  public int cullIdleTimeoutSeconds() { return integer(Setting.CULL_IDLE_TIMEOUT); }
  public int cullIntervalSeconds() { return integer(Setting.CULL_INTERVAL); }
  public boolean cullConnected() { return flag(Setting.CULL_CONNECTED); }
  public boolean cullBusy() { return flag(Setting.CULL_BUSY); }
  public int kernelLaunchTimeoutSeconds() { return integer(Setting.KERNEL_LAUNCH_TIMEOUT); }
  public int kernelInfoTimeoutSeconds() { return integer(Setting.KERNEL_INFO_TIMEOUT); }
  /** Launches in progress at once; 0 means sized for the host. */
  public int maxConcurrentLaunches() { return integer(Setting.MAX_CONCURRENT_LAUNCHES); }
  /** How long a start may wait for its turn while no waiting launch is admitted (the queue stalls). */
  public int launchQueueTimeoutSeconds() { return integer(Setting.LAUNCH_QUEUE_TIMEOUT); }
  /** The longest a start waits for its turn in a queue that moves: twice the stall limit. */
  public int launchQueueMaxWaitSeconds() { return 2 * launchQueueTimeoutSeconds(); }
  public int wsPingIntervalSeconds() { return integer(Setting.WS_PING_INTERVAL); }
  public int shutdownWaitSeconds() { return integer(Setting.SHUTDOWN_WAIT); }
  public int heartbeatIntervalSeconds() { return integer(Setting.HEARTBEAT_INTERVAL); }
  public List<String> kernelspecDirs() { return list(Setting.KERNELSPEC_DIRS); }
  public String jupyterPath() { return string(Setting.JUPYTER_PATH); }
  public String runtimeDir() { return string(Setting.RUNTIME_DIR); }
  public int maxBodyBytes() { return integer(Setting.MAX_BODY_BYTES); }
  /** Seconds a request body may take to arrive once its headers did (408 after); 0: no limit. */
  public int requestBodyTimeoutSeconds() { return integer(Setting.REQUEST_BODY_TIMEOUT); }
  public int httpIdleTimeoutSeconds() { return integer(Setting.HTTP_IDLE_TIMEOUT); }
  public int wsMaxMessageBytes() { return integer(Setting.WS_MAX_MESSAGE_BYTES); }
  /** Largest WebSocket frame sent to a client (a longer message goes out in fragments); 0: one frame per message, however large. */
  public int wsFrameBytes() { return integer(Setting.WS_FRAME_BYTES); }
  public int wsMaxPendingBytes() { return integer(Setting.WS_MAX_PENDING_BYTES); }
  public int wsSlowClientSeconds() { return integer(Setting.WS_SLOW_CLIENT_TIMEOUT); }
  public boolean autoRestart() { return flag(Setting.AUTO_RESTART); }
  public int autoRestartLimit() { return integer(Setting.AUTO_RESTART_LIMIT); }
  public int replayBufferBytes() { return integer(Setting.REPLAY_BUFFER_BYTES); }
  /** The address kernels send their connection info to; empty: the first non-loopback IPv4 address. */
  public String responseIp() { return string(Setting.RESPONSE_IP); }
  public int responsePort() { return integer(Setting.RESPONSE_PORT); }
  public int responsePortRetries() { return integer(Setting.RESPONSE_PORT_RETRIES); }
  public boolean responseAddrAny() { return flag(Setting.RESPONSE_ADDR_ANY); }
  public List<String> prohibitedLocalIps() { return list(Setting.PROHIBITED_LOCAL_IPS); }
  public String portRange() { return string(Setting.PORT_RANGE); }
  public int minPortRangeSize() { return integer(Setting.MIN_PORT_RANGE_SIZE); }
  public int maxPortRangeRetries() { return integer(Setting.MAX_PORT_RANGE_RETRIES); }
  public int commTimeoutSeconds() { return integer(Setting.COMM_TIMEOUT); }
  public String launcherPython() { return string(Setting.LAUNCHER_PYTHON); }
  public String dockerHost() { return string(Setting.DOCKER_HOST); }
  public String dockerNetwork() { return string(Setting.DOCKER_NETWORK); }
  /** The image of container kernels whose spec and client name none. */
  public String kernelImage() { return string(Setting.KERNEL_IMAGE); }
  public List<String> prohibitedUids() { return list(Setting.PROHIBITED_UIDS); }
  public List<String> prohibitedGids() { return list(Setting.PROHIBITED_GIDS); }
  public boolean mirrorWorkingDirs() { return flag(Setting.MIRROR_WORKING_DIRS); }
  public boolean removeContainer() { return flag(Setting.REMOVE_CONTAINER); }
  public boolean mountKernelspecs() { return flag(Setting.MOUNT_KERNELSPECS); }
  public boolean removeOrphans() { return flag(Setting.REMOVE_ORPHANS); }
  public boolean persistKernels() { return flag(Setting.PERSIST_KERNELS); }
  public String stateDir() { return string(Setting.STATE_DIR); }
  /** The gateway instance's id once the gateway has claimed its state directory (see GatewayInstance); before, KG_INSTANCE_ID or empty. */
  public String instanceId() { return string(Setting.INSTANCE_ID); }
  public String certFile() { return string(Setting.CERTFILE); }
  public String keyFile() { return string(Setting.KEYFILE); }
  public String clientCa() { return string(Setting.CLIENT_CA); }
  public String sslVersion() { return string(Setting.SSL_VERSION); }
  public boolean opsRequireToken() { return flag(Setting.OPS_REQUIRE_TOKEN); }

  public int opsPort() { return integer(Setting.OPS_PORT); }

  public String opsIp() { return string(Setting.OPS_IP); }
  public boolean clustered() { return flag(Setting.CLUSTER); }
  /** The directory whose jars hold process-proxy plugins; empty: none. */
  public String pluginDir() { return string(Setting.PLUGIN_DIR); }
  public String clusterName() { return string(Setting.CLUSTER_NAME); }
  public List<String> clusterMembers() { return list(Setting.CLUSTER_MEMBERS); }
  public String clusterHost() { return string(Setting.CLUSTER_HOST); }
  public int clusterPort() { return integer(Setting.CLUSTER_PORT); }
  public int clusterBusPort() { return integer(Setting.CLUSTER_BUS_PORT); }
  public int clusterFailureSeconds() { return integer(Setting.CLUSTER_FAILURE_SECONDS); }
  /** Values of the EG_INHERITED_ENVS names found in the gateway's environment (auth tokens never). */
  public Map<String, String> inheritedEnvironment() { return inheritedEnvironment; }
  /** PATH, HOME and the like: the minimum a local kernel process needs. */
  public Map<String, String> localProcessEnvironment() { return localProcessEnvironment; }

  /** A copy with one setting replaced (tests and embedding). */
  public GatewayConfig with(Setting setting, Object value) {
    JsonObject raw = values.copy();
    raw.put(setting.key(), value);
    return new GatewayConfig(typedValues(raw), inheritedEnvironment, localProcessEnvironment);
  }

  /** The built-in defaults plus the given process environment (tests and embedding). */
  public static GatewayConfig defaults(Map<String, String> processEnv) {
    return from(ConfigLoader.layer(new JsonObject(), new JsonObject(), new JsonObject()), processEnv);
  }
}
