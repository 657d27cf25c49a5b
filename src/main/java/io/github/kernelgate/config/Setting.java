package io.github.kernelgate.config;

import java.util.List;

/**
 * Every configuration setting: its key in {@code conf/kernelgate.yaml}, the environment (and
 * system property) names that set it, highest priority first, its type and its default.
 */
public enum Setting {
  PORT("port", Type.INT, "8888", "EG_PORT", "KG_PORT"),
  IP("ip", Type.STRING, "127.0.0.1", "EG_IP", "KG_IP"),
  BASE_URL("base_url", Type.STRING, "/", "EG_BASE_URL", "KG_BASE_URL"),
  AUTH_TOKEN("auth_token", Type.SECRET, "", "EG_AUTH_TOKEN", "KG_AUTH_TOKEN"),
  /** PEM certificate (chain) of the API: https and wss on the same port. Empty: plain HTTP. */
  CERTFILE("certfile", Type.STRING, "", "EG_CERTFILE"),
  /** PEM private key of the certificate; empty: in the certificate file. */
  KEYFILE("keyfile", Type.STRING, "", "EG_KEYFILE"),
  /** PEM CA certificate(s): clients must present a certificate they signed. */
  CLIENT_CA("client_ca", Type.STRING, "", "EG_CLIENT_CA"),
  /** TLS versions: Python's ssl constant as EG takes it (2 any, 5 TLS 1.2) or TLSv1.2 / TLSv1.3; empty: 1.2 and 1.3. */
  SSL_VERSION("ssl_version", Type.STRING, "", "EG_SSL_VERSION"),
  ALLOW_CREDENTIALS("allow_credentials", Type.STRING, "", "EG_ALLOW_CREDENTIALS", "KG_ALLOW_CREDENTIALS"),
  ALLOW_HEADERS("allow_headers", Type.STRING, "", "EG_ALLOW_HEADERS", "KG_ALLOW_HEADERS"),
  ALLOW_METHODS("allow_methods", Type.STRING, "", "EG_ALLOW_METHODS", "KG_ALLOW_METHODS"),
  ALLOW_ORIGIN("allow_origin", Type.STRING, "", "EG_ALLOW_ORIGIN", "KG_ALLOW_ORIGIN"),
  EXPOSE_HEADERS("expose_headers", Type.STRING, "", "EG_EXPOSE_HEADERS", "KG_EXPOSE_HEADERS"),
  MAX_AGE("max_age", Type.STRING, "", "EG_MAX_AGE", "KG_MAX_AGE"),
  MAX_KERNELS("max_kernels", Type.INT, "-1", "EG_MAX_KERNELS", "KG_MAX_KERNELS"),
  MAX_KERNELS_PER_USER("max_kernels_per_user", Type.INT, "-1", "EG_MAX_KERNELS_PER_USER"),
  DEFAULT_KERNEL_NAME("default_kernel_name", Type.STRING, "python3", "EG_DEFAULT_KERNEL_NAME", "KG_DEFAULT_KERNEL_NAME"),
  LIST_KERNELS("list_kernels", Type.BOOLEAN, "true", "EG_LIST_KERNELS", "KG_LIST_KERNELS"),
  CLIENT_ENVS("client_envs", Type.LIST, "", "EG_CLIENT_ENVS", "EG_ENV_WHITELIST"),
  INHERITED_ENVS("inherited_envs", Type.LIST, "", "EG_INHERITED_ENVS", "EG_ENV_PROCESS_WHITELIST"),
  ALLOWED_KERNELS("allowed_kernels", Type.LIST, "", "EG_ALLOWED_KERNELS", "EG_KERNEL_WHITELIST"),
  UNAUTHORIZED_USERS("unauthorized_users", Type.LIST, "root", "EG_UNAUTHORIZED_USERS"),
  AUTHORIZED_USERS("authorized_users", Type.LIST, "", "EG_AUTHORIZED_USERS"),
  CULL_IDLE_TIMEOUT("cull_idle_timeout", Type.INT, "0", "EG_CULL_IDLE_TIMEOUT"),
  CULL_INTERVAL("cull_interval", Type.INT, "300", "EG_CULL_INTERVAL"),
  CULL_CONNECTED("cull_connected", Type.BOOLEAN, "false", "EG_CULL_CONNECTED"),
  CULL_BUSY("cull_busy", Type.BOOLEAN, "false", "EG_CULL_BUSY"),
  KERNEL_LAUNCH_TIMEOUT("kernel_launch_timeout", Type.INT, "30", "EG_KERNEL_LAUNCH_TIMEOUT"),
  MAX_CONCURRENT_LAUNCHES("max_concurrent_launches", Type.INT, "0", "KG_MAX_CONCURRENT_LAUNCHES"),
  LAUNCH_QUEUE_TIMEOUT("launch_queue_timeout", Type.INT, "60", "KG_LAUNCH_QUEUE_TIMEOUT_SECS"),
  KERNEL_INFO_TIMEOUT("kernel_info_timeout", Type.INT, "60", "EG_KERNEL_INFO_TIMEOUT"),
  WS_PING_INTERVAL("ws_ping_interval", Type.INT, "30", "EG_WS_PING_INTERVAL_SECS"),
  SHUTDOWN_WAIT("shutdown_wait", Type.INT, "5", "KG_SHUTDOWN_WAIT_SECS"),
  AUTO_RESTART("auto_restart", Type.BOOLEAN, "true", "KG_AUTO_RESTART"),
  AUTO_RESTART_LIMIT("auto_restart_limit", Type.INT, "5", "KG_AUTO_RESTART_LIMIT"),
  HEARTBEAT_INTERVAL("heartbeat_interval", Type.INT, "3", "KG_HEARTBEAT_INTERVAL_SECS"),
  KERNELSPEC_DIRS("kernelspec_dirs", Type.LIST, "kernelspecs", "KG_KERNELSPEC_DIRS"),
  JUPYTER_PATH("jupyter_path", Type.STRING, "", "JUPYTER_PATH"),
  RUNTIME_DIR("runtime_dir", Type.STRING, "", "KG_RUNTIME_DIR"),
  MAX_BODY_BYTES("max_body_bytes", Type.INT, "1048576", "KG_MAX_BODY_BYTES"),
  REQUEST_BODY_TIMEOUT("request_body_timeout", Type.INT, "60", "KG_REQUEST_BODY_TIMEOUT_SECS"),
  HTTP_IDLE_TIMEOUT("http_idle_timeout", Type.INT, "120", "KG_HTTP_IDLE_TIMEOUT_SECS"),
  WS_MAX_MESSAGE_BYTES("ws_max_message_bytes", Type.INT, "134217728", "KG_WS_MAX_MESSAGE_BYTES"),
  WS_FRAME_BYTES("ws_frame_bytes", Type.INT, "16777216", "KG_WS_FRAME_BYTES"),
  WS_MAX_PENDING_BYTES("ws_max_pending_bytes", Type.INT, "33554432", "KG_WS_MAX_PENDING_BYTES"),
  WS_SLOW_CLIENT_TIMEOUT("ws_slow_client_timeout", Type.INT, "30", "KG_WS_SLOW_CLIENT_TIMEOUT_SECS"),
  REPLAY_BUFFER_BYTES("replay_buffer_bytes", Type.INT, "67108864", "KG_REPLAY_BUFFER_BYTES"),
  RESPONSE_IP("response_ip", Type.STRING, "", "EG_RESPONSE_IP"),
  RESPONSE_PORT("response_port", Type.INT, "8877", "EG_RESPONSE_PORT"),
  RESPONSE_PORT_RETRIES("response_port_retries", Type.INT, "10", "EG_RESPONSE_PORT_RETRIES"),
  RESPONSE_ADDR_ANY("response_addr_any", Type.BOOLEAN, "false", "EG_RESPONSE_ADDR_ANY"),
  PROHIBITED_LOCAL_IPS("prohibited_local_ips", Type.LIST, "", "EG_PROHIBITED_LOCAL_IPS"),
  PORT_RANGE("port_range", Type.STRING, "0..0", "EG_PORT_RANGE"),
  MIN_PORT_RANGE_SIZE("min_port_range_size", Type.INT, "1000", "EG_MIN_PORT_RANGE_SIZE"),
  MAX_PORT_RANGE_RETRIES("max_port_range_retries", Type.INT, "5", "EG_MAX_PORT_RANGE_RETRIES"),
  COMM_TIMEOUT("comm_timeout", Type.INT, "2", "KG_COMM_TIMEOUT_SECS"),
  LAUNCHER_PYTHON("launcher_python", Type.STRING, "/usr/bin/python3", "KG_LAUNCHER_PYTHON"),
  DOCKER_HOST("docker_host", Type.STRING, "unix:///var/run/docker.sock", "DOCKER_HOST"),
  DOCKER_NETWORK("docker_network", Type.STRING, "bridge", "EG_DOCKER_NETWORK"),
  KERNEL_IMAGE("kernel_image", Type.STRING, "kernelgate/kernel-py:dev", "EG_KERNEL_IMAGE"),
  PROHIBITED_UIDS("prohibited_uids", Type.LIST, "0", "EG_PROHIBITED_UIDS"),
  PROHIBITED_GIDS("prohibited_gids", Type.LIST, "0", "EG_PROHIBITED_GIDS"),
  MIRROR_WORKING_DIRS("mirror_working_dirs", Type.BOOLEAN, "false", "EG_MIRROR_WORKING_DIRS"),
  REMOVE_CONTAINER("remove_container", Type.BOOLEAN, "true", "EG_REMOVE_CONTAINER"),
  MOUNT_KERNELSPECS("mount_kernelspecs", Type.BOOLEAN, "false", "KG_MOUNT_KERNELSPECS"),
  REMOVE_ORPHANS("remove_orphans", Type.BOOLEAN, "false", "KG_REMOVE_ORPHANS"),
  PLUGIN_DIR("plugin_dir", Type.STRING, "", "KG_PLUGIN_DIR"),
  PERSIST_KERNELS("persist_kernels", Type.BOOLEAN, "true", "KG_PERSIST_KERNELS"),
  STATE_DIR("state_dir", Type.STRING, "", "KG_STATE_DIR"),
  /** Empty: the id kept in the state directory (made at the first start). */
  INSTANCE_ID("instance_id", Type.STRING, "", "KG_INSTANCE_ID"),
  /** Whether /health/* and /metrics need the token too (they do not by default: probes and scrapers carry none). */
  OPS_REQUIRE_TOKEN("ops_require_token", Type.BOOLEAN, "false", "KG_OPS_REQUIRE_TOKEN"),
  /**
   * A second, plain-HTTP port serving only /health/* and /metrics (0: none), for probes and
   * scrapers that cannot speak the API port's TLS, such as the container's own health check.
   */
  OPS_PORT("ops_port", Type.INT, "0", "KG_OPS_PORT"),
  /** Where the operations port listens: loopback unless a scraper outside must reach it. */
  OPS_IP("ops_ip", Type.STRING, "127.0.0.1", "KG_OPS_IP"),
  /** Replicas on a clustered event bus (Hazelcast); off: one process, as always. */
  CLUSTER("cluster", Type.BOOLEAN, "false", "KG_CLUSTER"),
  /** Only replicas with the same name form a cluster. */
  CLUSTER_NAME("cluster_name", Type.STRING, "kernelgate", "KG_CLUSTER_NAME"),
  /** host, host:port or host:port-port entries, or a DNS name resolved to all its addresses (swarm: tasks.<service>). */
  CLUSTER_MEMBERS("cluster_members", Type.LIST, "", "KG_CLUSTER_MEMBERS"),
  /** The address this replica binds and announces for the cluster; empty: the one Hazelcast picks. */
  CLUSTER_HOST("cluster_host", Type.STRING, "", "KG_CLUSTER_HOST"),
  /** Hazelcast's membership port; the next free one up to +20 is taken when it is in use. */
  CLUSTER_PORT("cluster_port", Type.INT, "5701", "KG_CLUSTER_PORT"),
  /** The event bus's port between replicas; 0: any free one. */
  CLUSTER_BUS_PORT("cluster_bus_port", Type.INT, "0", "KG_CLUSTER_BUS_PORT"),
  /** A replica silent this long (hung, cut off) has left the cluster; a dead process's closed connections are noticed sooner. */
  CLUSTER_FAILURE_SECONDS("cluster_failure_seconds", Type.INT, "6", "KG_CLUSTER_FAILURE_SECONDS");

  /** How a raw value is read. SECRET is a string that is masked whenever it is printed. */
  public enum Type { STRING, SECRET, INT, BOOLEAN, LIST }

  private final String key;
  private final Type type;
  private final String defaultValue;
  private final List<String> envNames;

  Setting(String key, Type type, String defaultValue, String... envNames) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.envNames = List.of(envNames);
  }

  public String key() {
    return key;
  }

  public Type type() {
    return type;
  }

  public String defaultValue() {
    return defaultValue;
  }

  /** Environment names, first one wins; the same names are read from system properties. */
  public List<String> envNames() {
    return envNames;
  }
}
