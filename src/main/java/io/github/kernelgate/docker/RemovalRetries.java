package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removal of a kernel's container or service that keeps trying while the Docker daemon is
 * unreachable, so a launch that failed during an outage leaves nothing behind once the daemon
 * is back. Only 503 (daemon unreachable) is retried; other failures are final.
 */
final class RemovalRetries {

  private static final Logger LOG = LoggerFactory.getLogger(RemovalRetries.class);
  private static final long RETRY_MILLIS = 2_000;
  private static final int MAX_ATTEMPTS = 300;

  private final Vertx vertx;

  RemovalRetries(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The first attempt's outcome; when it failed for an unreachable daemon, retries go on in the background. */
  Future<Void> remove(String what, Supplier<Future<Void>> attempt) {
    return attempt.get().onFailure(failure -> {
      if (unreachable(failure)) {
        LOG.warn("could not remove {} (Docker unreachable); retrying every {} s", what, RETRY_MILLIS / 1000);
        retry(what, attempt, 1);
      }
    });
  }

  private void retry(String what, Supplier<Future<Void>> attempt, int count) {
    vertx.setTimer(RETRY_MILLIS, tick -> attempt.get()
        .onSuccess(removed -> LOG.info("removed {} after the Docker daemon came back", what))
        .onFailure(failure -> {
          if (unreachable(failure) && count < MAX_ATTEMPTS) {
            retry(what, attempt, count + 1);
          } else {
            LOG.error("gave up removing {}: {}", what, failure.getMessage());
          }
        }));
  }

  private static boolean unreachable(Throwable failure) {
    return failure instanceof GatewayException known && known.status() == 503;
  }
}
