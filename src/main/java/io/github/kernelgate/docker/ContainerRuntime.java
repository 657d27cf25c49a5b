package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.proxy.KernelRuntime;
import io.github.kernelgate.proxy.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kernels as plain Docker containers (EG's DockerProcessProxy): create and start, then the
 * kernel is reached at the container's IP on EG_DOCKER_NETWORK. Death comes from Docker events.
 */
final class ContainerRuntime implements KernelRuntime {

  private final Vertx vertx;
  private final DockerBus docker;
  private final KernelContainerSpecs specs;
  private final DockerSettings settings;
  private final Map<String, String> containers = new ConcurrentHashMap<>();
  private final RemovalRetries removals;
  private ExitListener exitListener;
  private DockerDeaths deaths;

  ContainerRuntime(Vertx vertx, DockerBus docker, KernelContainerSpecs specs, DockerSettings settings) {
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
      // Only the kernel's current container: a restart's old one dies after the new one exists.
      if (event.getString("container_id", "").equals(containers.get(kernelId))) {
        exitListener.exited(kernelId, exitCode, "container exited");
      }
    });
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    KernelContainerSpec spec;
    try {
      spec = specs.build(request, env, "docker");
    } catch (GatewayException refused) {
      return Future.failedFuture(refused);
    }
    return docker.createContainer(spec).compose(id -> {
      // Known before it starts, so a failed start still gets the container removed.
      containers.put(request.kernelId(), id);
      return docker.startContainer(id).map(started -> new JsonObject().put("container_id", id).put("name", spec.name()));
    });
  }

  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    String id = containers.get(kernelId);
    if (id == null) {
      return Future.failedFuture(GatewayException.internal("No container for kernel " + kernelId));
    }
    Promise<String> address = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMillis;
    poll(id, deadline, address);
    return address.future();
  }

  /** After a successful start the container runs at once; the short retry only covers a slow network attach. */
  private void poll(String id, long deadline, Promise<String> address) {
    docker.inspectContainer(id, settings.network()).onFailure(address::tryFail).onSuccess(state -> {
      if (state.getBoolean("running") && state.getString("ip") != null && !state.getString("ip").isEmpty()) {
        address.tryComplete(state.getString("ip"));
      } else if (!"created".equals(state.getString("status")) && !state.getBoolean("running")) {
        address.tryFail(GatewayException.internal("Error starting kernel container; status: '" + state.getString("status")
            + "', exit code " + state.getValue("exit_code") + errorText(state)));
      } else if (System.currentTimeMillis() > deadline) {
        address.tryFail(new GatewayException(504, "container " + id + " not running with an address in time"));
      } else {
        vertx.setTimer(50, retry -> poll(id, deadline, address));
      }
    });
  }

  private static String errorText(JsonObject state) {
    String error = state.getString("error");
    return error == null || error.isEmpty() ? "" : " (" + error + ")";
  }

  @Override
  public Future<Boolean> isRunning(String kernelId) {
    String id = containers.get(kernelId);
    if (id == null) {
      return Future.succeededFuture(false);
    }
    return docker.inspectContainer(id, settings.network()).map(state -> state.getBoolean("running"))
        .recover(failure -> failure instanceof GatewayException known && known.status() == 404
            ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return deaths.awaitDeath(kernelId, timeoutMillis, isRunning(kernelId));
  }

  @Override
  public Future<Void> remove(String kernelId) {
    String id = containers.remove(kernelId);
    return id == null ? Future.succeededFuture()
        : removals.remove("container " + id + " of kernel " + kernelId, () -> docker.removeContainer(id, !settings.removeContainer()));
  }
}
