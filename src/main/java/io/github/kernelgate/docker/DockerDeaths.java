package io.github.kernelgate.docker;

import io.github.kernelgate.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;


/**
 * The container-died events of the kernels one runtime owns: tells the runtime's exit listener
 * and wakes whoever waits for that kernel to end. Keyed by kernel id (the label every kernel
 * container and swarm task container carries).
 */
final class DockerDeaths {

  private final Vertx vertx;
  private final Map<String, List<Promise<Boolean>>> waiters = new ConcurrentHashMap<>();

  /** Told of a kernel container's death: its kernel, the event (container_id, labels...) and exit code. */
  interface DeathListener {
    void died(String kernelId, JsonObject event, int exitCode);
  }

  DockerDeaths(Vertx vertx, DeathListener onDeath) {
    this.vertx = vertx;
    vertx.eventBus().<JsonObject>localConsumer(Addresses.DOCKER_CONTAINER_DIED, event -> {
      String kernelId = event.body().getString("kernel_id");
      if (kernelId == null) {
        return;
      }
      // Report first, then wake the waiters: a restart they resume must not overtake the report.
      onDeath.died(kernelId, event.body(), event.body().getInteger("exit_code", -1));
      List<Promise<Boolean>> waiting = waiters.remove(kernelId);
      if (waiting != null) {
        waiting.forEach(promise -> promise.tryComplete(true));
      }
    });
  }

  /** True once the kernel's container died, false after the timeout; {@code stillRunning} is checked first. */
  Future<Boolean> awaitDeath(String kernelId, long timeoutMillis, Future<Boolean> stillRunning) {
    Promise<Boolean> died = Promise.promise();
    waiters.computeIfAbsent(kernelId, id -> new ArrayList<>()).add(died);
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), fired -> died.tryComplete(false));
    stillRunning.onSuccess(running -> {
      if (!running) {
        died.tryComplete(true);
      }
    });
    return died.future().onComplete(done -> vertx.cancelTimer(timer));
  }
}
