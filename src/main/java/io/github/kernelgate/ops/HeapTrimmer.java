package io.github.kernelgate.ops;

import io.vertx.core.Vertx;
import java.util.function.LongSupplier;

/**
 * Gives heap back to the system after a burst. The shipped JVM settings use the serial collector
 * (less RSS idle than G1, and a fraction of G1's peak during big outputs), which shrinks the heap
 * only when it collects the old generation: after a 320 MB output the gateway stayed at about
 * 500 MiB for good. So every {@link #INTERVAL_MILLIS}, while the committed heap is above
 * {@link #TRIM_ABOVE_BYTES}, a full collection runs on a worker thread (tens of ms with the small
 * live set a gateway keeps); below that, nothing happens.
 */
public final class HeapTrimmer {

  static final long INTERVAL_MILLIS = 10_000;
  static final long TRIM_ABOVE_BYTES = 96L << 20;

  private HeapTrimmer() {
  }

  /** Starts the periodic check on this JVM's heap; answers its timer id. */
  public static long start(Vertx vertx) {
    return start(vertx, INTERVAL_MILLIS, () -> Runtime.getRuntime().totalMemory(), System::gc);
  }

  static long start(Vertx vertx, long intervalMillis, LongSupplier committedHeapBytes, Runnable collect) {
    return vertx.setPeriodic(intervalMillis, tick -> {
      if (committedHeapBytes.getAsLong() > TRIM_ABOVE_BYTES) {
        vertx.executeBlocking(() -> {
          collect.run();
          return null;
        }, false);
      }
    });
  }
}
