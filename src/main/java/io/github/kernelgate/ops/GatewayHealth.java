package io.github.kernelgate.ops;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.cluster.ClusterMembership;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.kernelspec.SpecAccess;
import io.github.kernelgate.plugin.ProxyClient;
import io.github.kernelgate.proxy.ProxyNames;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.function.Function;

/**
 * What an orchestrator probes. Live (restart the gateway when DOWN): this event loop answers, and
 * so does the ZMQ verticle's event loop, which serves every kernel connection. Ready (send it clients when UP): live, and
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
    live = HealthChecks.create(vertx).register("zmq", CHECK_TIMEOUT_MILLIS, this::zmqLoopAnswers);
    ready = HealthChecks.create(vertx)
        .register("deployed", CHECK_TIMEOUT_MILLIS, promise -> promise.complete(deployed.succeeded() ? Status.OK()
            : Status.KO(reason(deployed.failed() ? "deployment failed: " + deployed.cause().getMessage() : "verticles are still deploying"))))
        .register("zmq", CHECK_TIMEOUT_MILLIS, this::zmqLoopAnswers)
        .register("response-listener", CHECK_TIMEOUT_MILLIS, promise -> answers(Addresses.LAUNCH_DESCRIBE, promise,
            answer -> new JsonObject().put("response_address", answer.getString("response_address"))))
        .register("docker", CHECK_TIMEOUT_MILLIS, promise -> dockerAnswersIfUsed(specs, access, promise))
        .register("plugins", CHECK_TIMEOUT_MILLIS, promise -> pluginProxiesAnswer(specs, access, promise));
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

  private void zmqLoopAnswers(Promise<Status> promise) {
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

  /**
   * Which plugin proxies named by allowed kernel specs answer a poll (for no kernel), loaded here
   * or in a plugin host. Informational, always UP: a missing plugin fails only the launches of its
   * specs (with a clear error), so it must not take a replica serving every other spec out of
   * rotation; the data tells an operator which ones are silent.
   */
  private void pluginProxiesAnswer(KernelSpecStore specs, SpecAccess access, Promise<Status> promise) {
    vertx.executeBlocking(() -> specs.findAll().values().stream().filter(access::isAllowed).map(GatewayHealth::proxyOf)
            .filter(name -> name != null && ProxyNames.isFreeForPlugins(name)).collect(Collectors.toCollection(TreeSet::new)), false)
        .onFailure(unreadable -> promise.complete(Status.KO(reason("kernel specs cannot be read: " + unreadable.getMessage()))))
        .onSuccess(names -> Future.all(names.stream().map(name -> new ProxyClient(vertx, name).isAlive("readiness-probe")
                .transform(answer -> Future.succeededFuture(answersOnItsOwn(answer) ? null : name)))
                .toList())
            .onSuccess(outcomes -> {
              List<String> silent = outcomes.<String>list().stream().filter(Objects::nonNull).toList();
              List<String> answering = names.stream().filter(name -> !silent.contains(name)).toList();
              promise.complete(Status.OK(new JsonObject().put("answering", new JsonArray(answering)).put("silent", new JsonArray(silent))));
            }));
  }

  /** A proxy that answered, even with its own failure, is there; only silence (no consumer, no answer in time) is not. */
  private static boolean answersOnItsOwn(AsyncResult<Boolean> answer) {
    return answer.succeeded() || !(answer.cause() instanceof ProxyClient.NoAnswer);
  }

  private static String proxyOf(KernelSpec spec) {
    try {
      return ProxyNames.forSpec(spec.json());
    } catch (IllegalArgumentException unusable) {
      return null;
    }
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
