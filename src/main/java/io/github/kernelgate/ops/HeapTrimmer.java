package io.github.kernelgate.ops;

import io.vertx.core.Vertx;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;

/**
 * Gives heap back to the system after a burst. The shipped JVM settings use the serial collector
 * (less RSS idle than G1, and a fraction of G1's peak during big outputs), which shrinks the heap
 * only when it collects the old generation: after a 320 MB output the gateway stayed at about
 * 500 MiB for good. So every {@link #INTERVAL_MILLIS} a check may run a full collection on a
 * worker thread, when {@link TrimSchedule} finds it due (the heap is above 96 MiB and collections
 * give memory back, or the gateway just went quiet).
 */
public final class HeapTrimmer {

  static final long INTERVAL_MILLIS = 10_000;

  private HeapTrimmer() {
  }

  /** Starts the periodic check on this JVM's heap; answers its timer id. */
  public static long start(Vertx vertx) {
    return start(vertx, INTERVAL_MILLIS, () -> Runtime.getRuntime().totalMemory(), HeapTrimmer::collectionCount, System::gc);
  }

  /** Collections of every collector so far (young ones included: they tell a busy gateway). */
  private static long collectionCount() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
    }
    return count;
  }

  static long start(Vertx vertx, long intervalMillis, LongSupplier committedHeapBytes, LongSupplier collections, Runnable collect) {
    TrimSchedule schedule = new TrimSchedule();
    // [collections seen at the last check, of which ours since then]; the timer and the completion
    // run on the same context, so neither this nor the schedule needs a lock.
    long[] counts = {collections.getAsLong(), 0};
    boolean[] collecting = {false};
    return vertx.setPeriodic(intervalMillis, tick -> {
      if (collecting[0]) {
        return;
      }
      long seen = collections.getAsLong();
      boolean quiet = seen - counts[0] - counts[1] <= 0;
      counts[0] = seen;
      counts[1] = 0;
      if (!schedule.due(committedHeapBytes.getAsLong(), quiet)) {
        return;
      }
      collecting[0] = true;
      vertx.executeBlocking(() -> {
        long before = committedHeapBytes.getAsLong();
        collect.run();
        return new long[] {before, committedHeapBytes.getAsLong()};
      }, false).onComplete(done -> {
        collecting[0] = false;
        counts[1]++;
        if (done.succeeded()) {
          schedule.collected(done.result()[0], done.result()[1]);
        }
      });
    });
  }
}
