package io.github.kernelgate.ops;

import io.vertx.core.Vertx;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Gives heap back to the system after a burst. The shipped JVM settings use the serial collector
 * (less RSS idle than G1, and a fraction of G1's peak during big outputs), which shrinks the heap
 * only when it collects the old generation: after a 320 MB output the gateway stayed at about
 * 500 MiB for good. So every {@link #INTERVAL_MILLIS} a check may run a full collection on a
 * worker thread, when {@link TrimSchedule} finds it due (the heap is above 96 MiB and collections
 * give memory back, or the gateway just went quiet); that collection is a {@link LeanCollection},
 * which asks for little free heap for itself only. No trim while the JVM itself collects the old
 * generation (multi-MB messages are passing): the heap is the size that traffic needs, and a trim
 * then was one more full collection every 10 s (34-39 ms, every kernel's traffic paused, gc log of
 * 50 MB outputs on 2026-12-04) whose heap the next messages took again.
 */
public final class HeapTrimmer {

  static final long INTERVAL_MILLIS = 10_000;
  /** HotSpot's young-generation collectors; every other collector collects the old generation too. */
  private static final Set<String> YOUNG_COLLECTORS = Set.of("Copy", "PS Scavenge", "ParNew", "G1 Young Generation");

  private final Vertx vertx;
  private final LongSupplier committedHeapBytes;
  private final LongSupplier collections;
  private final LongSupplier oldCollections;
  private final Runnable collect;
  private final TrimSchedule schedule = new TrimSchedule();
  // The timer and the completions run on one context: none of this needs a lock.
  private long collectionsAtLastCheck;
  private long oldCollectionsAtLastCheck;
  private int ownCollectionsSinceLastCheck;
  private boolean collecting;

  private HeapTrimmer(Vertx vertx, LongSupplier committedHeapBytes, LongSupplier collections, LongSupplier oldCollections,
      Runnable collect) {
    this.vertx = vertx;
    this.committedHeapBytes = committedHeapBytes;
    this.collections = collections;
    this.oldCollections = oldCollections;
    this.collect = collect;
    this.collectionsAtLastCheck = collections.getAsLong();
    this.oldCollectionsAtLastCheck = oldCollections.getAsLong();
  }

  /** Starts the periodic check on this JVM's heap; answers its timer id. */
  public static long start(Vertx vertx) {
    return start(vertx, INTERVAL_MILLIS, () -> Runtime.getRuntime().totalMemory(), () -> collectionCount(true),
        () -> collectionCount(false), LeanCollection.ofThisJvm());
  }

  /**
   * @param collections the JVM's collections so far, young ones included (they tell a busy gateway)
   * @param oldCollections those of the old generation (ours included: a {@code System.gc()} is one)
   */
  static long start(Vertx vertx, long intervalMillis, LongSupplier committedHeapBytes, LongSupplier collections,
      LongSupplier oldCollections, Runnable collect) {
    HeapTrimmer trimmer = new HeapTrimmer(vertx, committedHeapBytes, collections, oldCollections, collect);
    return vertx.setPeriodic(intervalMillis, tick -> trimmer.check());
  }

  private static long collectionCount(boolean includingYoung) {
    long count = 0;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (includingYoung || !YOUNG_COLLECTORS.contains(collector.getName())) {
        count += Math.max(0, collector.getCollectionCount());
      }
    }
    return count;
  }

  private void check() {
    if (collecting) {
      return;
    }
    long seen = collections.getAsLong();
    long oldSeen = oldCollections.getAsLong();
    boolean quiet = seen - collectionsAtLastCheck - ownCollectionsSinceLastCheck <= 0;
    boolean heapInUse = oldSeen - oldCollectionsAtLastCheck - ownCollectionsSinceLastCheck > 0;
    collectionsAtLastCheck = seen;
    oldCollectionsAtLastCheck = oldSeen;
    ownCollectionsSinceLastCheck = 0;
    if (!schedule.due(committedHeapBytes.getAsLong(), quiet, heapInUse)) {
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
