package io.github.kernelgate.testsupport;

import io.github.kernelgate.Gateway;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.GatewayVertxOptions;
import io.github.kernelgate.config.Setting;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A real gateway on a free port with the repository's kernelspecs and real ipykernel processes,
 * in its own Vert.x instance. Tests adjust the configuration through {@code customize}.
 */
public final class RunningGateway implements AutoCloseable {

  public static final String USER = "tester";

  private final Vertx vertx;
  private final Gateway gateway;
  private final String token;

  private RunningGateway(Vertx vertx, Gateway gateway, String token) {
    this.vertx = vertx;
    this.gateway = gateway;
    this.token = token;
  }

  public static RunningGateway start(UnaryOperator<GatewayConfig> customize) {
    GatewayConfig config = GatewayConfig.defaults(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
            "HOME", System.getProperty("user.home")))
        .with(Setting.PORT, 0)
        .with(Setting.KERNELSPEC_DIRS, new JsonArray().add(repositoryPath("kernelspecs").toString())
            .add(repositoryPath("src/test/resources/kernelspecs").toString()))
        .with(Setting.WS_PING_INTERVAL, 0)
        .with(Setting.SHUTDOWN_WAIT, 3)
        .with(Setting.RUNTIME_DIR, repositoryPath("target/kernelgate-runtime").toString())
        // Each test gateway is a fresh instance that stops its kernels when closed; DurableKernelsIT tests persistence.
        .with(Setting.PERSIST_KERNELS, false)
        .with(Setting.STATE_DIR, repositoryPath("target/kernelgate-state/" + java.util.UUID.randomUUID()).toString())
        .with(Setting.RESPONSE_IP, "127.0.0.1")
        .with(Setting.RESPONSE_PORT, 0);
    config = customize.apply(config);
    // The transport the gateway process runs on (Main), so tests see what users get.
    Vertx vertx = Vertx.vertx(GatewayVertxOptions.create());
    try {
      Gateway gateway = Gateway.deploy(vertx, config).await(60, TimeUnit.SECONDS);
      return new RunningGateway(vertx, gateway, config.authToken().isEmpty() ? null : config.authToken());
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("gateway did not start", e);
    }
  }

  public static RunningGateway start() {
    return start(UnaryOperator.identity());
  }

  public static Path repositoryPath(String relative) {
    return Path.of(System.getProperty("user.dir")).resolve(relative).toAbsolutePath();
  }

  public int port() {
    return gateway.port();
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The token clients must present (null when the gateway runs without one). */
  public String token() {
    return token;
  }

  public Http http() {
    return new Http(port(), token);
  }

  public KernelClient connect(String kernelId) {
    return KernelClient.connect(vertx, port(), kernelId, false, token);
  }

  /** A client of an existing session: the reconnect of a client that went away. */
  public KernelClient reconnect(String kernelId, boolean v1, String sessionId) {
    return KernelClient.connect(vertx, port(), kernelId, v1, token, 256 * 1024 * 1024, sessionId);
  }

  public KernelClient connectV1(String kernelId) {
    return KernelClient.connect(vertx, port(), kernelId, true, token);
  }

  @Override
  public void close() throws Exception {
    try {
      gateway.stop().await(60, TimeUnit.SECONDS);
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }
}
