package io.github.kernelgate.docker;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * Kernels as Docker Swarm services (EG's DockerSwarmProcessProxy): one replica, restart
 * condition none, endpoint mode dnsrr, on EG_DOCKER_NETWORK; the kernel is reached at its task's
 * IP, so the gateway must be attached to that (overlay) network. The task's start is awaited
 * from Docker events, with a slow poll as the fallback.
 */
final class ServiceRuntime extends DockerKernelRuntime {

  private static final Set<String> FAILED_STATES = Set.of("failed", "rejected", "complete", "shutdown", "orphaned", "remove");
  private static final long FALLBACK_POLL_MILLIS = 500;

  ServiceRuntime(Vertx vertx, DockerBus docker, KernelContainerSpecs specs, DockerSettings settings) {
    super(vertx, docker, specs, settings);
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    return spec(request, env, "swarm").compose(spec -> {
      // By name until Docker answers: a create whose answer is lost (daemon gone) is still removed.
      objects.put(request.kernelId(), spec.name());
      return docker.createService(spec).map(id -> {
        objects.put(request.kernelId(), id);
        return new JsonObject().put("service_id", id).put("name", spec.name());
      });
    });
  }

  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    String service = objects.get(kernelId);
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
    String service = objects.get(kernelId);
    return service == null ? Future.succeededFuture(false) : goneMeansStopped(docker.listTasks(service, settings.network())
        .map(reply -> reply.getJsonArray("tasks").stream().map(JsonObject.class::cast).anyMatch(task -> "running".equals(task.getString("state")))));
  }

  @Override
  protected String objectIdField() {
    return "service_id";
  }

  @Override
  protected boolean isCurrent(String serviceId, JsonObject dieEvent) {
    return serviceId.equals(dieEvent.getString("service_id"));
  }

  @Override
  protected Future<Void> removeObject(String serviceId) {
    return docker.removeService(serviceId);
  }
}
