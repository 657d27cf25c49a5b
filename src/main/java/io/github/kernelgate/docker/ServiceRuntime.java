package io.github.kernelgate.docker;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.proxy.KernelRuntime;
import io.github.kernelgate.proxy.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernels as Docker Swarm services (EG's DockerSwarmProcessProxy): one replica, restart
 * condition none, endpoint mode dnsrr, on EG_DOCKER_NETWORK; the kernel is reached at its task's
 * IP, so the gateway must be attached to that (overlay) network. The task's start is awaited
 * from Docker events, with a slow poll as the fallback.
 */
final class ServiceRuntime implements KernelRuntime {

  private static final Set<String> FAILED_STATES = Set.of("failed", "rejected", "complete", "shutdown", "orphaned", "remove");
  private static final long FALLBACK_POLL_MILLIS = 500;

  private final Vertx vertx;
  private final DockerBus docker;
  private final KernelContainerSpecs specs;
  private final DockerSettings settings;
  private final Map<String, String> services = new ConcurrentHashMap<>();
  private final RemovalRetries removals;
  private ExitListener exitListener;
  private DockerDeaths deaths;

  ServiceRuntime(Vertx vertx, DockerBus docker, KernelContainerSpecs specs, DockerSettings settings) {
    this.vertx = vertx;
    this.docker = docker;
    this.specs = specs;
    this.settings = settings;
    this.removals = new RemovalRetries(vertx);
  }

  @Override
  public void setExitListener(ExitListener listener) {
    this.exitListener = listener;
    this.deaths = new DockerDeaths(vertx, (kernelId, event, exitCode) -> {
      // Only a task of the kernel's current service: a restart's old task dies after the new service exists.
      if (event.getString("service_id", "").equals(services.get(kernelId))) {
        exitListener.exited(kernelId, exitCode, "service task exited");
      }
    });
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    KernelContainerSpec spec;
    try {
      spec = specs.build(request, env, "swarm");
    } catch (GatewayException refused) {
      return Future.failedFuture(refused);
    }
    return docker.createService(spec).map(id -> {
      services.put(request.kernelId(), id);
      return new JsonObject().put("service_id", id).put("name", spec.name());
    });
  }

  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    String service = services.get(kernelId);
    if (service == null) {
      return Future.failedFuture(GatewayException.internal("No service for kernel " + kernelId));
    }
    Promise<String> address = Promise.promise();
    MessageConsumer<JsonObject> started = vertx.eventBus().localConsumer(Addresses.DOCKER_CONTAINER_STARTED, event -> {
      if (kernelId.equals(event.body().getString("kernel_id"))) {
        check(service, address);
      }
    });
    long poll = vertx.setPeriodic(FALLBACK_POLL_MILLIS, tick -> check(service, address));
    long timeout = vertx.setTimer(timeoutMillis, fired ->
        address.tryFail(new GatewayException(504, "service task of kernel " + kernelId + " not running within " + timeoutMillis / 1000.0 + " s")));
    check(service, address);
    return address.future().onComplete(done -> {
      started.unregister();
      vertx.cancelTimer(poll);
      vertx.cancelTimer(timeout);
    });
  }

  private void check(String service, Promise<String> address) {
    if (address.future().isComplete()) {
      return;
    }
    docker.listTasks(service, settings.network()).onSuccess(reply -> {
      for (Object item : reply.getJsonArray("tasks")) {
        JsonObject task = (JsonObject) item;
        String state = task.getString("state");
        if ("running".equals(state) && task.getString("ip") != null) {
          address.tryComplete(task.getString("ip"));
          return;
        }
        if (state != null && FAILED_STATES.contains(state)) {
          String why = task.getString("error") != null ? task.getString("error") : task.getString("message");
          address.tryFail(GatewayException.internal("Error starting kernel container; status: '" + state + "'" + (why == null ? "" : ": " + why)));
          return;
        }
      }
    });
  }

  @Override
  public Future<Boolean> isRunning(String kernelId) {
    String service = services.get(kernelId);
    if (service == null) {
      return Future.succeededFuture(false);
    }
    return docker.listTasks(service, settings.network())
        .map(reply -> reply.getJsonArray("tasks").stream().map(JsonObject.class::cast).anyMatch(task -> "running".equals(task.getString("state"))))
        .recover(failure -> failure instanceof GatewayException known && known.status() == 404
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return deaths.awaitDeath(kernelId, timeoutMillis, isRunning(kernelId));
  }

  @Override
  public Future<Void> remove(String kernelId) {
    String service = services.remove(kernelId);
    return service == null ? Future.succeededFuture()
        : removals.remove("service " + service + " of kernel " + kernelId, () -> docker.removeService(service));
  }
}
