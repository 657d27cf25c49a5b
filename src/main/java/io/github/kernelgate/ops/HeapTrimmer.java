package io.github.kernelgate.ops;

import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * Gives heap back to the system after a burst. The shipped JVM settings use the serial collector
 * (less RSS idle than G1, and a fraction of G1's peak during big outputs), which shrinks the heap
 * only when it collects the old generation: after a 320 MB output the gateway stayed at about
 * 500 MiB for good. So every {@link #INTERVAL_MILLIS} a check may run a full collection on a
 * worker thread, when {@link TrimSchedule} finds it due (the heap is above 96 MiB and collections
 * give memory back).
 */
public final class HeapTrimmer {

  static final long INTERVAL_MILLIS = 10_000;

  private HeapTrimmer() {
  }

  /** Starts the periodic check on this JVM's heap; answers its timer id. */
  public static long start(Vertx vertx) {
    return start(vertx, INTERVAL_MILLIS, () -> Runtime.getRuntime().totalMemory(), System::gc);
  }

  static long start(Vertx vertx, long intervalMillis, LongSupplier committedHeapBytes, Runnable collect) {
    TrimSchedule schedule = new TrimSchedule();
    boolean[] collecting = {false};
    // The timer and the completion run on the same context: the schedule needs no lock.
    return vertx.setPeriodic(intervalMillis, tick -> {
      if (collecting[0] || !schedule.due(committedHeapBytes.getAsLong())) {
        return;
      }
      collecting[0] = true;
      vertx.executeBlocking(() -> {
        long before = committedHeapBytes.getAsLong();
        collect.run();
        return new long[] {before, committedHeapBytes.getAsLong()};
      }, false).onComplete(done -> {
        collecting[0] = false;
        if (done.succeeded()) {
          schedule.collected(done.result()[0], done.result()[1]);
        }
      });
    });
  }
}
