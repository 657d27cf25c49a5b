package io.github.kernelgate.zmq;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * Waits until a new kernel is ready for clients: it answered kernel_info and an iopub message
 * arrived since the check began (Jupyter's nudge: a SUB socket misses what is published before
 * its subscription reaches the kernel, so kernel_info is re-sent every {@link #NUDGE_INTERVAL_MILLIS}).
 * Readiness is noticed when the message arrives, not on a timer. Used on one event loop only.
 */
final class ReadinessCheck {

  static final long NUDGE_INTERVAL_MILLIS = 500;
  /** Once the kernel has answered, only the iopub subscription is missing: nudge at this shorter interval. */
  static final long UP_NUDGE_INTERVAL_MILLIS = 50;

  private final Vertx vertx;
  private final Supplier<Future<?>> nudge;
  private final Promise<Void> outcome = Promise.promise();
  private long nudgeTimer;
  private final long deadlineTimer;
  private boolean replied;
  private boolean iopubSeen;
  private int nudges;

  /** Starts nudging at once; {@code nudge} sends one kernel_info request and completes on its reply. */
  ReadinessCheck(Vertx vertx, long timeoutMillis, Supplier<Future<?>> nudge) {
    this.vertx = vertx;
    this.nudge = nudge;
    this.nudgeTimer = vertx.setPeriodic(NUDGE_INTERVAL_MILLIS, timer -> nudgeOnce());
    this.deadlineTimer = vertx.setTimer(timeoutMillis, timer ->
        fail(new GatewayException(504, "no kernel_info reply within " + timeoutMillis / 1000.0 + " s")));
    nudgeOnce();
  }

  Future<Void> outcome() {
    return outcome.future();
  }

  void iopubArrived() {
    iopubSeen = true;
    settle();
  }

  void fail(Throwable failure) {
    stopTimers();
    outcome.tryFail(failure);
  }

  private void nudgeOnce() {
    if (!outcome.future().isComplete()) {
      nudges++;
      nudge.get().onSuccess(reply -> {
        boolean firstReply = !replied;
        replied = true;
        settle();
        // The kernel answers, but the iopub it published was missed: our subscription is still on
        // its way (a SUB socket retries its connection every 100 ms). Ask again soon, not in 500 ms.
        if (firstReply && !iopubSeen) {
          vertx.cancelTimer(nudgeTimer);
          nudgeTimer = vertx.setPeriodic(UP_NUDGE_INTERVAL_MILLIS, timer -> nudgeOnce());
          nudgeOnce();
        }
      });
    }
  }

  /** kernel_info requests sent so far, for the log. */
  int nudges() {
    return nudges;
  }

  private void settle() {
    if (replied && iopubSeen) {
      stopTimers();
      outcome.tryComplete();
    }
  }

  private void stopTimers() {
    vertx.cancelTimer(nudgeTimer);
    vertx.cancelTimer(deadlineTimer);
  }
}
