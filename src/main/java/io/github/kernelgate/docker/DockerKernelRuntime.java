package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.proxy.KernelRuntime;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the container and the service runtimes share: one Docker object per kernel (a
 * container id or a service id), the spec rules, death from Docker events (only of the kernel's
 * current object), waiting for exit, and removal that survives a daemon outage.
 */
abstract class DockerKernelRuntime implements KernelRuntime {

  protected final Vertx vertx;
  protected final DockerBus docker;
  protected final DockerSettings settings;
  /** Kernel id to its current container or service id. */
  protected final Map<String, String> objects = new ConcurrentHashMap<>();
  /** Removals in flight by kernel id: a second remove (a DELETE after a death) waits for the first. */
  private final Map<String, Future<Void>> removing = new ConcurrentHashMap<>();
  private final KernelContainerSpecs specs;
  private final RemovalRetries removals;
  private DockerDeaths deaths;

  DockerKernelRuntime(Vertx vertx, DockerBus docker, KernelContainerSpecs specs, DockerSettings settings) {
    this.vertx = vertx;
    this.docker = docker;
    this.specs = specs;
    this.settings = settings;
    this.removals = new RemovalRetries(vertx);
  }

  /** Whether a die event belongs to the kernel's current object (a restart's old one dies late). */
  protected abstract boolean isCurrent(String objectId, JsonObject dieEvent);

  /** Removes one container or service. */
  protected abstract Future<Void> removeObject(String objectId);

  @Override
  public void setExitListener(ExitListener listener) {
    this.deaths = new DockerDeaths(vertx, (kernelId, event, exitCode) -> {
      String current = objects.get(kernelId);
      if (current != null && isCurrent(current, event)) {
        listener.exited(kernelId, exitCode, "container exited");
      }
    });
  }

  /** Takes over the container or service an earlier gateway started (its id in {@code started}). */
  @Override
  public Future<Boolean> adopt(String kernelId, JsonObject started) {
    String id = started.getString(objectIdField());
    if (id == null) {
      return Future.succeededFuture(false);
    }
    objects.put(kernelId, id);
    return isRunning(kernelId);
  }

  /** The field of {@link #start}'s answer that holds the Docker object's id. */
  protected abstract String objectIdField();

  /** The kernel's spec by EG's rules, or the refusal (403/400/500) as a failed future. */
  protected Future<KernelContainerSpec> spec(LaunchRequest request, Map<String, String> env, String mode) {
    try {
      return Future.succeededFuture(specs.build(request, env, mode));
    } catch (GatewayException refused) {
      return Future.failedFuture(refused);
    }
  }

  /** A Docker 404 means the object is gone: not running. */
  protected static Future<Boolean> goneMeansStopped(Future<Boolean> running) {
    return running.recover(failure -> failure instanceof GatewayException known && known.status() == 404
        ? Future.succeededFuture(false) : Future.failedFuture(failure));
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return deaths.awaitDeath(kernelId, timeoutMillis, isRunning(kernelId));
  }

  @Override
  public Future<Void> remove(String kernelId) {
    String id = objects.remove(kernelId);
    if (id == null) {
      Future<Void> inFlight = removing.get(kernelId);
      return inFlight == null ? Future.succeededFuture() : inFlight;
    }
    Future<Void> removal = removals.remove(id + " of kernel " + kernelId, () -> removeObject(id));
    removing.put(kernelId, removal);
    return removal.onComplete(done -> removing.remove(kernelId, removal));
  }
}
