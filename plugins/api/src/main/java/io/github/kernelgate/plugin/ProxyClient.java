package io.github.kernelgate.plugin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A {@link ProcessProxy} that asks a proxy over the event bus, wherever it runs: what the gateway
 * uses for every proxy, and what the contract test kit drives. Failures come back as
 * {@link ProxyFailure}s: the proxy's own, 503 when it did not answer in time, 500 when nothing
 * answers the address.
 */
public final class ProxyClient implements ProcessProxy {

  /** Headroom over a launch's timeout, so that the proxy reports its own timeout first. */
  public static final long LAUNCH_REPLY_MARGIN_MILLIS = 10_000;
  /** How long any other verb may take (wait-exit: its own timeout on top). */
  public static final long COMMAND_TIMEOUT_MILLIS = 30_000;

  /** The proxy did not answer at all: nothing serves its address (500), or no answer came in time (503). */
  public static final class NoAnswer extends ProxyFailure {

    private static final long serialVersionUID = 1L;

    NoAnswer(int status, String reason, String message) {
      super(status, reason, message);
    }
  }

  private final Vertx vertx;
  private final String proxyName;

  public ProxyClient(Vertx vertx, String proxyName) {
    this.vertx = vertx;
    this.proxyName = proxyName;
  }

  public String name() {
    return proxyName;
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    return call(ProxyVerbs.LAUNCH, request.toJson(), request.launchTimeoutMillis() + LAUNCH_REPLY_MARGIN_MILLIS)
        .map(LaunchResult::fromJson);
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return call(ProxyVerbs.POLL, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).map(reply -> reply.getBoolean("alive", false));
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    return call(ProxyVerbs.SIGNAL, kernel(kernelId).put("signum", signum), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return call(ProxyVerbs.WAIT_EXIT, kernel(kernelId).put("timeout_ms", timeoutMillis), timeoutMillis + COMMAND_TIMEOUT_MILLIS)
        .map(reply -> reply.getBoolean("exited", false));
  }

  @Override
  public Future<Void> kill(String kernelId) {
    return call(ProxyVerbs.KILL, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    return call(ProxyVerbs.CLEANUP, kernel(kernelId), COMMAND_TIMEOUT_MILLIS).mapEmpty();
  }

  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return call(ProxyVerbs.ADOPT, kernel(kernelId).put("launch_id", launchId).put("process_info", processInfo), COMMAND_TIMEOUT_MILLIS)
        .map(reply -> reply.getBoolean("alive", false));
  }

  private static JsonObject kernel(String kernelId) {
    return new JsonObject().put("kernel_id", kernelId);
  }

  private Future<JsonObject> call(String verb, JsonObject body, long timeoutMillis) {
    return vertx.eventBus().<JsonObject>request(ProxyContract.address(proxyName, verb), body, new DeliveryOptions().setSendTimeout(timeoutMillis))
        .map(Message::body)
        .recover(failure -> Future.failedFuture(asProxyFailure(verb, failure)));
  }

  private ProxyFailure asProxyFailure(String verb, Throwable failure) {
    if (!(failure instanceof ReplyException reply)) {
      return ProxyFailure.internal(String.valueOf(failure.getMessage()));
    }
    return switch (reply.failureType()) {
      case TIMEOUT -> new NoAnswer(503, "Service Unavailable", "Process proxy '" + proxyName + "' did not answer " + verb + " in time");
      case NO_HANDLERS -> new NoAnswer(500, "Internal Server Error",
          "No process proxy named '" + proxyName + "' is running (is its plugin deployed?)");
      default -> ProxyFailure.fromBus(reply.failureCode(), reply.getMessage());
    };
  }
}
