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
 * give memory back, or the gateway just went quiet); that collection is a {@link LeanCollection},
 * which asks for little free heap for itself only.
 */
public final class HeapTrimmer {

  static final long INTERVAL_MILLIS = 10_000;

  private final Vertx vertx;
  private final LongSupplier committedHeapBytes;
  private final LongSupplier collections;
  private final Runnable collect;
  private final TrimSchedule schedule = new TrimSchedule();
  // The timer and the completions run on one context: none of this needs a lock.
  private long collectionsAtLastCheck;
  private int ownCollectionsSinceLastCheck;
  private boolean collecting;

  private HeapTrimmer(Vertx vertx, LongSupplier committedHeapBytes, LongSupplier collections, Runnable collect) {
    this.vertx = vertx;
    this.committedHeapBytes = committedHeapBytes;
    this.collections = collections;
    this.collect = collect;
    this.collectionsAtLastCheck = collections.getAsLong();
  }

  /** Starts the periodic check on this JVM's heap; answers its timer id. */
  public static long start(Vertx vertx) {
    return start(vertx, INTERVAL_MILLIS, () -> Runtime.getRuntime().totalMemory(), HeapTrimmer::collectionCount, LeanCollection.ofThisJvm());
  }

  static long start(Vertx vertx, long intervalMillis, LongSupplier committedHeapBytes, LongSupplier collections, Runnable collect) {
    HeapTrimmer trimmer = new HeapTrimmer(vertx, committedHeapBytes, collections, collect);
    return vertx.setPeriodic(intervalMillis, tick -> trimmer.check());
  }

  /** Collections of every collector so far (young ones included: they tell a busy gateway). */
  private static long collectionCount() {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      count += Math.max(0, collector.getCollectionCount());
    }
    return count;
  }

  private void check() {
    if (collecting) {
      return;
    }
    long seen = collections.getAsLong();
    boolean quiet = seen - collectionsAtLastCheck - ownCollectionsSinceLastCheck <= 0;
    collectionsAtLastCheck = seen;
    ownCollectionsSinceLastCheck = 0;
    if (!schedule.due(committedHeapBytes.getAsLong(), quiet)) {
      return;
    }
    collecting = true;
    vertx.executeBlocking(() -> {
      long before = committedHeapBytes.getAsLong();
      collect.run();
      return new long[] {before, committedHeapBytes.getAsLong()};
    }, false).onComplete(done -> {
      collecting = false;
      ownCollectionsSinceLastCheck++;
      if (done.succeeded()) {
        schedule.collected(done.result()[0], done.result()[1]);
      }
    });
  }
}
