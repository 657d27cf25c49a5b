package io.github.kernelgate.kernel;

import static io.github.kernelgate.kernel.KernelLogFields.about;

import io.github.kernelgate.plugin.ProcessProxy;
import io.vertx.core.Vertx;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks a running kernel's proxy whether its process (container, service) still runs, and reports
 * it dead when not. A proxy that cannot answer (Docker unreachable) is asked again until it can:
 * a failed check must never be taken for "alive", or a kernel that died meanwhile stays idle
 * forever. Touched only on the lifecycle verticle's event loop.
 */
final class LivenessCheck {

  private static final Logger LOG = LoggerFactory.getLogger(LivenessCheck.class);
  static final long RETRY_MILLIS = 5_000;
  /** An hour of retries: longer than any Docker outage worth waiting out. */
  static final int MAX_ATTEMPTS = 720;

  private final Vertx vertx;
  private final Function<ManagedKernel, ProcessProxy> proxies;
  private final BiConsumer<ManagedKernel, String> onDead;

  LivenessCheck(Vertx vertx, Function<ManagedKernel, ProcessProxy> proxies, BiConsumer<ManagedKernel, String> onDead) {
    this.vertx = vertx;
    this.proxies = proxies;
    this.onDead = onDead;
  }

  /** Checks the kernel if it is running; {@code why} becomes its reason when it is found dead. */
  void check(ManagedKernel kernel, String why) {
    check(kernel, kernel.launchId, why, 1);
  }

  private void check(ManagedKernel kernel, String launchId, String why, int attempt) {
    if (!stillTheSameRun(kernel, launchId)) {
      return;
    }
    proxies.apply(kernel).isAlive(kernel.id).onComplete(answer -> {
      if (!stillTheSameRun(kernel, launchId)) {
        // Shut down, restarted or already dead meanwhile: this answer is about something else.
        return;
      }
      if (answer.succeeded()) {
        if (!answer.result()) {
          onDead.accept(kernel, why);
        }
      } else if (attempt < MAX_ATTEMPTS) {
        about(LOG.atWarn(), kernel).addKeyValue("attempt", attempt)
            .log("liveness check failed, retrying in {} s: {}", RETRY_MILLIS / 1000, answer.cause().getMessage());
        vertx.setTimer(RETRY_MILLIS, retry -> check(kernel, launchId, why, attempt + 1));
      } else {
        about(LOG.atError(), kernel)
            .log("liveness check gave up after {} attempts: {}", attempt, answer.cause().getMessage());
      }
    });
  }

  private static boolean stillTheSameRun(ManagedKernel kernel, String launchId) {
    return kernel.is(KernelState.RUNNING) && launchId != null && launchId.equals(kernel.launchId);
  }
}
