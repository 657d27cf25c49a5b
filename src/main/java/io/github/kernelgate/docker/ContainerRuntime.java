package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Kernels as plain Docker containers (EG's DockerProcessProxy): create and start, then the
 * kernel is reached at the container's IP on EG_DOCKER_NETWORK. Death comes from Docker events.
 */
final class ContainerRuntime extends DockerKernelRuntime {

  ContainerRuntime(Vertx vertx, DockerBus docker, KernelContainerSpecs specs, DockerSettings settings) {
    super(vertx, docker, specs, settings);
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    return spec(request, env, "docker").compose(spec -> {
      // By name until Docker answers: a create whose answer is lost (daemon gone) is still removed.
      objects.put(request.kernelId(), spec.name());
      return docker.createContainer(spec).recover(failure -> Future.failedFuture(missingImage(failure, spec.image(), env)));
    }).compose(id -> {
      // Known before it starts, so a failed start still gets the container removed.
      objects.put(request.kernelId(), id);
      return docker.startContainer(id).map(started -> new JsonObject().put("container_id", id));
    });
  }

  /**
   * A missing image is the client's mistake when the client named it (KERNEL_IMAGE): a 400 naming
   * the image; when the kernelspec or the gateway's default named it, the server's (500).
   */
  private static Throwable missingImage(Throwable failure, String image, Map<String, String> env) {
    if (!(failure instanceof GatewayException known) || !DockerOperations.IMAGE_NOT_FOUND.equals(known.reason())) {
      return failure;
    }
    if (image.equals(env.get("KERNEL_IMAGE"))) {
      return GatewayException.badRequest("KERNEL_IMAGE: " + known.getMessage());
    }
    return new GatewayException(500, known.getMessage(), known.getMessage());
  }

  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    String id = objects.get(kernelId);
    if (id == null) {
      return Future.failedFuture(GatewayException.internal("No container for kernel " + kernelId));
    }
    Promise<String> address = Promise.promise();
    poll(id, System.currentTimeMillis() + timeoutMillis, address);
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
    String id = objects.get(kernelId);
    return id == null ? Future.succeededFuture(false)
        : goneMeansStopped(docker.inspectContainer(id, settings.network()).map(state -> state.getBoolean("running")));
  }

  @Override
  protected String objectIdField() {
    return "container_id";
  }

  @Override
  protected boolean isCurrent(String containerId, JsonObject dieEvent) {
    return containerId.equals(dieEvent.getString("container_id"));
  }

  @Override
  protected Future<Void> removeObject(String containerId) {
    return docker.removeContainer(containerId, !settings.removeContainer());
  }
}
