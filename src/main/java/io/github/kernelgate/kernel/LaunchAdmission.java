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
 * counts from its admission. A waiting start is refused (503, Retry-After) only when the queue
 * stalls: no launch was admitted for the stall limit since it joined. A long queue that moves
 * is waited on, up to a bound on the whole wait, so no start outlives its HTTP request. Touched
 * only on the lifecycle verticle's event loop.
 */
final class LaunchAdmission {

  private static final Logger LOG = LoggerFactory.getLogger(LaunchAdmission.class);
  /** What a refused client is told to wait before trying again. */
  static final int RETRY_AFTER_SECONDS = 10;

  /** A launch waiting for a slot; {@code since} on the monotonic clock, in milliseconds. */
  private record Waiting(String kernelId, Promise<Void> admitted, long since) {
  }

  private final Vertx vertx;
  private final int limit;
  private final long stallMillis;
  private final long maxWaitMillis;
  private final Deque<Waiting> queue = new ArrayDeque<>();
  private int inProgress;
  /** When a waiting launch was last admitted: the queue's progress. */
  private long lastAdmittedFromQueue = Long.MIN_VALUE;
  /** The one timer, set for the deadline of the longest-waiting launch (whose deadline comes first). */
  private long deadlineTimer = -1;

  /**
   * @param stallMillis how long the queue may stand still before the launches waiting that long are refused
   * @param maxWaitMillis the longest any launch waits, moving queue or not (at least {@code stallMillis})
   */
  LaunchAdmission(Vertx vertx, int limit, long stallMillis, long maxWaitMillis) {
    this.vertx = vertx;
    this.limit = Math.max(1, limit);
    this.stallMillis = Math.max(1, stallMillis);
    this.maxWaitMillis = Math.max(this.stallMillis, maxWaitMillis);
  }

  /** The configured limit, or for 0 (the default) one sized for this host: two launches per core, at least four. */
  static int limitFor(int configured) {
    return configured > 0 ? configured : Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /**
   * Completes when the launch may begin; the caller must then {@link #release()} exactly once
   * when it ends. Fails with a 503 (Retry-After) when the queue stalls or the wait is too long.
   */
  Future<Void> admit(String kernelId) {
    if (inProgress < limit && queue.isEmpty()) {
      inProgress++;
      return Future.succeededFuture();
    }
    Promise<Void> admitted = Promise.promise();
    queue.addLast(new Waiting(kernelId, admitted, now()));
    if (queue.size() == 1) {
      scheduleDeadline();
    }
    LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("queue_depth", queue.size())
        .addKeyValue("in_progress", inProgress).addKeyValue("limit", limit).log("launch queued");
    return admitted.future();
  }

  /** A launch ended (in any way): its slot goes to the longest-waiting launch. */
  void release() {
    inProgress = Math.max(0, inProgress - 1);
    Waiting next = queue.pollFirst();
    if (next != null) {
      inProgress++;
      lastAdmittedFromQueue = now();
      // The queue moved: every waiting launch's stall deadline moves with it.
      scheduleDeadline();
      LOG.atInfo().addKeyValue("kernel_id", next.kernelId()).addKeyValue("waited_ms", lastAdmittedFromQueue - next.since())
          .addKeyValue("queue_depth", queue.size()).addKeyValue("in_progress", inProgress).log("launch admitted");
      next.admitted().complete();
    }
  }

  /** Takes a waiting launch out of the queue (its kernel was deleted); answers whether it was waiting. */
  boolean cancel(String kernelId) {
    for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
      Waiting waiting = it.next();
      if (waiting.kernelId().equals(kernelId)) {
        it.remove();
        scheduleDeadline();
        waiting.admitted().fail(new GatewayException(410, "Kernel " + kernelId + " was deleted before its launch began"));
        return true;
      }
    }
    return false;
  }

  int queued() {
    return queue.size();
  }

  int inProgress() {
    return inProgress;
  }

  /**
   * When a waiting launch is refused: after the stall limit without progress since it joined, or
   * after the longest wait. Never decreases along the queue (arrival order), so the first
   * launch's deadline is the next one due.
   */
  private long deadlineOf(Waiting waiting) {
    long stalledAt = Math.max(waiting.since(), lastAdmittedFromQueue) + stallMillis;
    return Math.min(stalledAt, waiting.since() + maxWaitMillis);
  }

  private void scheduleDeadline() {
    if (deadlineTimer >= 0) {
      vertx.cancelTimer(deadlineTimer);
      deadlineTimer = -1;
    }
    Waiting first = queue.peekFirst();
    if (first != null) {
      deadlineTimer = vertx.setTimer(Math.max(1, deadlineOf(first) - now()), fired -> {
        deadlineTimer = -1;
        refuseOverdue();
      });
    }
  }

  private void refuseOverdue() {
    long now = now();
    while (!queue.isEmpty() && deadlineOf(queue.peekFirst()) <= now) {
      refuse(queue.pollFirst(), now);
    }
    scheduleDeadline();
  }

  private void refuse(Waiting waiting, long now) {
    long waitedMillis = now - waiting.since();
    boolean stalled = waitedMillis < maxWaitMillis;
    String why = stalled
        ? "none of the " + inProgress + " launches in progress has ended for " + duration(stallMillis)
        : "this start waited " + duration(waitedMillis) + " for its turn, the longest a start waits";
    LOG.atWarn().addKeyValue("kernel_id", waiting.kernelId()).addKeyValue("waited_ms", waitedMillis)
        .addKeyValue("queue_depth", queue.size()).addKeyValue("in_progress", inProgress).addKeyValue("limit", limit)
        .log("launch refused: {}", why);
    waiting.admitted().fail(new GatewayException(503, "Service Unavailable",
        "Too many kernels are starting: " + why + "; retry later", RETRY_AFTER_SECONDS));
  }

  private static String duration(long millis) {
    return millis >= 1000 ? millis / 1000 + " s" : millis + " ms";
  }

  private static long now() {
    return System.nanoTime() / 1_000_000;
  }
}
