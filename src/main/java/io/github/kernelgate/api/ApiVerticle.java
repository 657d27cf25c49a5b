package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.cluster.ClusterMembership;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.kernelspec.SpecAccess;
import io.github.kernelgate.ops.GatewayHealth;
import io.github.kernelgate.ops.GatewayMetrics;
import io.github.kernelgate.ops.MetricsEndpoint;
import io.github.kernelgate.protocol.V1Framing;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API: the Jupyter gateway REST routes and the kernel WebSocket endpoint. Every route
 * answers JSON; every failure goes through {@link ApiFailureHandler}.
 */
public final class ApiVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ApiVerticle.class);
  /** Kernel and session ids: five groups of word characters, as Jupyter Server matches them. */
  private static final String ID = "\\w+-\\w+-\\w+-\\w+-\\w+";
  private static final String API_VERSION = "1.24.0";
  private static final String GATEWAY_VERSION = "3.4.0";

  private final KernelOwners owners;
  private final GatewayMetrics metrics;
  private final ClusterMembership membership;
  private final Future<Void> deployed;
  private HttpServer server;
  private HttpServer opsServer;
  private volatile int actualPort;

  /**
   * @param membership this replica's view of the cluster (null in one process), for the readiness check
   * @param deployed completes once every verticle of the gateway is deployed, for the readiness check
   */
  public ApiVerticle(KernelOwners owners, GatewayMetrics metrics, ClusterMembership membership, Future<Void> deployed) {
    this.owners = owners;
    this.metrics = metrics;
    this.membership = membership;
    this.deployed = deployed;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    String base = config.baseUrl();
    KernelBus kernels = new KernelBus(vertx, owners);
    KernelHandlers kernelHandlers = new KernelHandlers(kernels, base);
    SessionHandlers sessionHandlers = new SessionHandlers(kernels, base);
    KernelSpecStore store = new KernelSpecStore(KernelSpecStore.searchPath(config.kernelspecDirs(), config.jupyterPath(), System.getProperty("user.home")));
    KernelSpecHandlers specHandlers = new KernelSpecHandlers(vertx, store, config);
    ChannelsEndpoint channels = new ChannelsEndpoint(vertx, kernels, config, metrics.clients());
    GatewayHealth health = new GatewayHealth(vertx, deployed, store,
        new SpecAccess(config.allowedKernels(), config.unauthorizedUsers(), config.authorizedUsers()), membership);
    ApiDocument document = new ApiDocument(vertx);

    Router router = Router.router(vertx);
    router.route().handler(new CorsHandler(config));
    router.get(base + "api/swagger.json").handler(ctx -> document.serve(ctx, "application/json"));
    router.get(base + "api/swagger.yaml").handler(ctx -> document.serve(ctx, "text/x-yaml"));
    router.get(base + "openapi.json").handler(ctx -> document.serve(ctx, "application/json"));
    if (!config.opsRequireToken()) {
      operations(router, base, health);
    }
    router.route().handler(new TokenAuthHandler(config.authToken()));
    if (config.opsRequireToken()) {
      operations(router, base, health);
    }
    router.route().method(HttpMethod.POST).method(HttpMethod.PATCH)
        .handler(new JsonBodyReader(vertx, config.maxBodyBytes(), config.requestBodyTimeoutSeconds() * 1000L));

    router.get(base + "api").handler(ctx -> ApiResponses.json(ctx, 200, new JsonObject()
        .put("version", API_VERSION).put("gateway_version", GATEWAY_VERSION).put("kernelgate_version", io.github.kernelgate.config.GatewayVersion.current())));
    router.get(base + "api/kernels").handler(kernelHandlers::list);
    router.post(base + "api/kernels").handler(kernelHandlers::start);
    router.getWithRegex(kernelPath(base, "")).handler(kernelHandlers::get);
    router.deleteWithRegex(kernelPath(base, "")).handler(kernelHandlers::delete);
    router.postWithRegex(kernelPath(base, "/interrupt")).handler(kernelHandlers::interrupt);
    router.postWithRegex(kernelPath(base, "/restart")).handler(kernelHandlers::restart);
    router.getWithRegex(kernelPath(base, "/channels")).handler(channels::handle);
    router.get(base + "api/kernelspecs").handler(specHandlers::list);
    router.getWithRegex(quote(base + "api/kernelspecs/") + "(?<name>[\\w.\\-%]+)").handler(specHandlers::get);
    router.routeWithRegex(quote(base + "kernelspecs/") + "(?<name>[\\w.\\-%]+)/(?<path>.+)").method(HttpMethod.GET).method(HttpMethod.HEAD)
        .handler(specHandlers::resource);
    router.get(base + "api/sessions").handler(sessionHandlers::list);
    router.post(base + "api/sessions").handler(sessionHandlers::create);
    router.getWithRegex(sessionPath(base)).handler(sessionHandlers::get);
    router.patchWithRegex(sessionPath(base)).handler(sessionHandlers::update);
    router.deleteWithRegex(sessionPath(base)).handler(sessionHandlers::delete);
    router.route().handler(ctx -> ctx.fail(NotFoundRoutes.explain(base, ctx.request().method(), ctx.request().path())));
    ApiFailureHandler failures = new ApiFailureHandler();
    router.route().failureHandler(failures);
    // Failures the router meets outside any route (a broken percent-encoding, say) get the same JSON body.
    for (int status : new int[] {400, 404, 405, 413, 500}) {
      router.errorHandler(status, failures.forStatus(status));
    }

    vertx.eventBus().<JsonObject>localConsumer(Addresses.KERNEL_STATE_CHANGED,
        event -> channels.stateChanged(event.body().getString("kernel_id"), event.body().getString("state")));
    Future<Void> relays = owners.clustered()
        ? JsonBus.answerAcrossCluster(vertx, Addresses.onReplica(config.instanceId(), RelayWire.OPEN), channels::openRelayed)
        : Future.succeededFuture();

    HttpServerOptions options = new HttpServerOptions()
        .setHost(config.ip())
        .setPort(config.port())
        // Nagle's algorithm meeting delayed ACKs costs ~35 ms per round trip (measured on EG).
        .setTcpNoDelay(true)
        .setWebSocketSubProtocols(List.of(V1Framing.SUBPROTOCOL))
        // Browsers send each message as one frame: a frame may be as large as a whole message.
        .setMaxWebSocketFrameSize(config.wsMaxMessageBytes())
        .setMaxWebSocketMessageSize(config.wsMaxMessageBytes())
        .setIdleTimeout(idleTimeoutSeconds(config))
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    // TLS reads its PEM files: on a worker, before the server exists.
    return relays.compose(ready -> vertx.executeBlocking(() -> {
          ServerTls.apply(options, config);
          return options;
        }, false))
        .compose(secured -> {
          server = vertx.createHttpServer(secured)
              .connectionHandler(HttpVersionGuard::install)
              .requestHandler(router)
              .invalidRequestHandler(ApiFailureHandler::invalidRequest);
          return server.listen();
        })
        .onSuccess(listening -> {
          actualPort = listening.actualPort();
          String address = (ServerTls.enabled(config) ? "https" : "http") + "://" + config.ip() + ":" + actualPort + base;
          LOG.atInfo().addKeyValue("address", address).log("kernelgate listening");
        })
        .compose(listening -> config.opsPort() > 0 ? listenForOperations(config, health) : Future.succeededFuture());
  }

  /** The operations port: plain HTTP, health and metrics only, behind the token when the API's ops routes are. */
  private Future<Void> listenForOperations(GatewayConfig config, GatewayHealth health) {
    Router router = Router.router(vertx);
    if (config.opsRequireToken()) {
      router.route().handler(new TokenAuthHandler(config.authToken()));
    }
    operations(router, config.baseUrl(), health);
    router.route().handler(ctx -> ApiResponses.json(ctx, 404, new JsonObject().put("reason", "Not Found")
        .put("message", "the operations port serves only " + config.baseUrl() + "health/live, health/ready and metrics")));
    opsServer = vertx.createHttpServer(new HttpServerOptions().setHost(config.opsIp()).setPort(config.opsPort()).setTcpNoDelay(true))
        .requestHandler(router);
    return opsServer.listen()
        .onSuccess(listening -> LOG.atInfo().addKeyValue("address", "http://" + config.opsIp() + ":" + listening.actualPort() + config.baseUrl())
            .log("operations port listening"))
        .mapEmpty();
  }

  /** The routes an orchestrator and Prometheus call. */
  private void operations(Router router, String base, GatewayHealth health) {
    router.get(base + "health/live").handler(health.liveHandler());
    router.get(base + "health/ready").handler(health.readyHandler());
    router.get(base + "metrics").handler(new MetricsEndpoint(vertx, metrics));
  }

  @Override
  public Future<?> stop() {
    return Future.all(server == null ? Future.succeededFuture() : server.shutdown(5, TimeUnit.SECONDS),
        opsServer == null ? Future.succeededFuture() : opsServer.close());
  }

  /**
   * Connections on which nothing was read or written for this long are closed, so a request whose
   * line or headers never finish cannot hold a socket forever (the body has its own deadline).
   * Vert.x's idle timer knows nothing of requests in progress, so it is never shorter than a
   * start with the default timeouts can take (longest queue wait + launch), nor than three WebSocket pings
   * (every ping is a write). 0 turns it off.
   */
  static int idleTimeoutSeconds(GatewayConfig config) {
    int configured = config.httpIdleTimeoutSeconds();
    if (configured <= 0) {
      return 0;
    }
    int longestDefaultStart = config.launchQueueMaxWaitSeconds() + config.kernelLaunchTimeoutSeconds() + 10;
    return Math.max(configured, Math.max(longestDefaultStart, 3 * config.wsPingIntervalSeconds()));
  }

  /** The port the server listens on (useful when configured with port 0). */
  public int actualPort() {
    return actualPort;
  }

  private static String kernelPath(String base, String suffix) {
    return quote(base + "api/kernels/") + "(?<kid>" + ID + ")" + quote(suffix);
  }

  private static String sessionPath(String base) {
    return quote(base + "api/sessions/") + "(?<sid>" + ID + ")";
  }

  private static String quote(String literal) {
    return literal.isEmpty() ? "" : java.util.regex.Pattern.quote(literal);
  }
}
