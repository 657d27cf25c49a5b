package io.github.kernelgate.ops;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.cluster.ClusterMembership;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.kernelspec.SpecAccess;
import io.github.kernelgate.proxy.ProxyNames;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.Set;
import java.util.function.Function;

/**
 * What an orchestrator probes. Live (restart the gateway when DOWN): this event loop answers, and
 * so does the ZMQ thread that owns every kernel socket. Ready (send it clients when UP): live, and
 * every verticle deployed, the response listener listening, Docker answering when some allowed
 * kernel spec runs in Docker, and, clustered, this replica a member of the cluster. Each answer
 * names every check with its status (Vert.x's health-check JSON); DOWN is a 503.
 */
public final class GatewayHealth {

  /** A check that takes longer is DOWN: the probe itself must answer well within an orchestrator's timeout. */
  private static final long CHECK_TIMEOUT_MILLIS = 3_000;
  private static final Set<String> DOCKER_PROXIES = Set.of(ProxyNames.DOCKER, ProxyNames.SWARM);

  private final Vertx vertx;
  private final HealthChecks live;
  private final HealthChecks ready;

  /**
   * @param deployed completes once every verticle of the gateway is deployed
   * @param membership this replica's view of the cluster; null in one process
   */
  public GatewayHealth(Vertx vertx, Future<Void> deployed, KernelSpecStore specs, SpecAccess access, ClusterMembership membership) {
    this.vertx = vertx;
    live = HealthChecks.create(vertx).register("zmq", CHECK_TIMEOUT_MILLIS, this::zmqThreadAnswers);
    ready = HealthChecks.create(vertx)
        .register("deployed", CHECK_TIMEOUT_MILLIS, promise -> promise.complete(deployed.succeeded() ? Status.OK()
            : Status.KO(reason(deployed.failed() ? "deployment failed: " + deployed.cause().getMessage() : "verticles are still deploying"))))
        .register("zmq", CHECK_TIMEOUT_MILLIS, this::zmqThreadAnswers)
        .register("response-listener", CHECK_TIMEOUT_MILLIS, promise -> answers(Addresses.LAUNCH_DESCRIBE, promise,
            answer -> new JsonObject().put("response_address", answer.getString("response_address"))))
        .register("docker", CHECK_TIMEOUT_MILLIS, promise -> dockerAnswersIfUsed(specs, access, promise));
    if (membership != null) {
      ready.register("cluster", CHECK_TIMEOUT_MILLIS, promise -> {
        int members = membership.memberCount();
        promise.complete(members > 0 ? Status.OK(new JsonObject().put("members", members)) : Status.KO(reason("not a member of the cluster")));
      });
    }
  }

  public Handler<RoutingContext> liveHandler() {
    return HealthCheckHandler.createWithHealthChecks(live);
  }

  public Handler<RoutingContext> readyHandler() {
    return HealthCheckHandler.createWithHealthChecks(ready);
  }

  private void zmqThreadAnswers(Promise<Status> promise) {
    answers(Addresses.ZMQ_PING, promise, answer -> new JsonObject().put("kernels", answer.getInteger("kernels")));
  }

  private void dockerAnswersIfUsed(KernelSpecStore specs, SpecAccess access, Promise<Status> promise) {
    vertx.executeBlocking(() -> specs.findAll().values().stream().filter(access::isAllowed).anyMatch(GatewayHealth::runsInDocker), false)
        .onFailure(unreadable -> promise.complete(Status.KO(reason("kernel specs cannot be read: " + unreadable.getMessage()))))
        .onSuccess(used -> {
          if (used) {
            answers(Addresses.DOCKER_PING, promise, answer -> new JsonObject().put("api_version", answer.getString("api_version")));
          } else {
            promise.complete(Status.OK(new JsonObject().put("used", false)));
          }
        });
  }

  private static boolean runsInDocker(KernelSpec spec) {
    try {
      return DOCKER_PROXIES.contains(ProxyNames.forSpec(spec.json()));
    } catch (IllegalArgumentException unusable) {
      return false;
    }
  }

  /** UP when {@code address} answers (with what {@code data} picks from the answer), DOWN with the reason otherwise. */
  private void answers(String address, Promise<Status> promise, Function<JsonObject, JsonObject> data) {
    JsonBus.request(vertx, address, new JsonObject(), CHECK_TIMEOUT_MILLIS - 500)
        .onSuccess(answer -> promise.complete(Status.OK(data.apply(answer))))
        .onFailure(failure -> promise.complete(Status.KO(reason(BusErrors.toException(failure).getMessage()))));
  }

  private static JsonObject reason(String text) {
    return new JsonObject().put("reason", text);
  }
}
