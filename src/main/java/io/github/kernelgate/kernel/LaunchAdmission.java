package io.github.kernelgate.kernel;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admission control for kernel launches: at most {@code limit} launches (starts and restarts)
 * are in progress; the others wait in arrival order, so a class of forty starting at once gets
 * forty kernels instead of forty launches that all starve and time out. A launch's own timeout
 * counts from its admission; the wait has its own limit, past which the start is refused with
 * a 503 and Retry-After. Touched only on the lifecycle verticle's event loop.
 */
final class LaunchAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchAdmission.class);
  /** What a refused client is told to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 10;

  /** A launch waiting for a slot. */
  private record Waiting(String kernelId, Promise<Void> admitted, long timerId, long since) {
  }

  private final Vertx vertx;
  private final int limit;
  private final long queueTimeoutMillis;
  private final Deque<Waiting> queue = new ArrayDeque<>();
  private int inProgress;

  LaunchAdmission(Vertx vertx, int limit, long queueTimeoutMillis) {
    this.vertx = vertx;
    this.limit = Math.max(1, limit);
    this.queueTimeoutMillis = queueTimeoutMillis;
  }

  /** The configured limit, or for 0 (the default) one sized for this host: two launches per core, at least four. */
  static int limitFor(int configured) {
    return configured > 0 ? configured : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Completes when the launch may begin; the caller must then {@link #release()} exactly once
   * when it ends. Fails with a 503 (Retry-After) when the wait exceeds its limit.
   */
  Future<Void> admit(String kernelId) {
    if (inProgress < limit && queue.isEmpty()) {
      inProgress++;
      return Future.succeededFuture();
    }
    Promise<Void> admitted = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, queueTimeoutMillis), fired -> expire(kernelId));
    queue.addLast(new Waiting(kernelId, admitted, timer, System.currentTimeMillis()));
    LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("queue_depth", queue.size())
        .addKeyValue("in_progress", inProgress).addKeyValue("limit", limit).log("launch queued");
    return admitted.future();
  }

  /** A launch ended (in any way): its slot goes to the longest-waiting launch. */
  void release() {
    inProgress = Math.max(0, inProgress - 1);
    Waiting next = queue.pollFirst();
    if (next != null) {
      vertx.cancelTimer(next.timerId());
      inProgress++;
      LOG.atInfo().addKeyValue("kernel_id", next.kernelId()).addKeyValue("waited_ms", System.currentTimeMillis() - next.since())
          .addKeyValue("queue_depth", queue.size()).addKeyValue("in_progress", inProgress).log("launch admitted");
      next.admitted().complete();
    }
  }

  /** Takes a waiting launch out of the queue (its kernel was deleted); answers whether it was waiting. */
  boolean cancel(String kernelId) {
    Waiting waiting = remove(kernelId);
    if (waiting == null) {
      return false;
    }
    waiting.admitted().fail(new GatewayException(410, "Kernel " + kernelId + " was deleted before its launch began"));
    return true;
  }

  int queued() {
    return queue.size();
  }

  int inProgress() {
    return inProgress;
  }

  private void expire(String kernelId) {
    Waiting waiting = remove(kernelId);
    if (waiting != null) {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("queue_depth", queue.size())
          .addKeyValue("in_progress", inProgress).addKeyValue("limit", limit)
          .log("launch refused after waiting {} ms for a slot", queueTimeoutMillis);
      waiting.admitted().fail(new GatewayException(503, "Service Unavailable", "Too many kernels are starting: " + limit
          + " launches are in progress and this one waited " + queueTimeoutMillis / 1000 + " s for its turn; retry later",
          RETRY_AFTER_SECONDS));
    }
  }

  private Waiting remove(String kernelId) {
    for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
      Waiting waiting = it.next();
      if (waiting.kernelId().equals(kernelId)) {
        it.remove();
        vertx.cancelTimer(waiting.timerId());
        return waiting;
      }
    }
    return null;
  }
}
