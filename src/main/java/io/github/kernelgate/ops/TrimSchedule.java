package io.github.kernelgate.ops;

/**
 * When {@link HeapTrimmer} collects, counted in its checks. A collection is due while the
 * committed heap is above {@link #TRIM_ABOVE_BYTES} and collections give memory back. One that
 * gives nothing back (the heap is the size the load needs: 500 busy kernels keep about 120 MiB)
 * doubles the wait before the next, up to {@link #MAX_WAIT_CHECKS}: at every check, a full
 * collection of that heap cost 130-520 ms every 10 s. A heap that grew again is collected at once.
 * The serial collector gives back in steps (nothing at the first full collection after a change,
 * then 10%, 40%, all), so one fruitless collection only delays the next by one check.
 */
final class TrimSchedule {

  static final long TRIM_ABOVE_BYTES = 96L << 20;
  /** Growth over the heap left by the last collection that makes the next one due at once. */
  static final long REGROWTH_BYTES = 16L << 20;
  /** A collection giving back less is fruitless. */
  static final long GIVEN_BACK_BYTES = 1L << 20;
  static final int MAX_WAIT_CHECKS = 30;

  private long committedAfterLast;
  private int waitChecks;
  private int checksToWait;

  /** Called at every check: whether to collect now. */
  boolean due(long committedBytes) {
    if (committedBytes <= TRIM_ABOVE_BYTES) {
      return false;
    }
    if (committedBytes > committedAfterLast + REGROWTH_BYTES) {
      checksToWait = 0;
    }
    if (checksToWait > 0) {
      checksToWait--;
      return false;
    }
    return true;
  }

  /** Called after a collection with the committed heap before and after it. */
  void collected(long before, long after) {
    committedAfterLast = after;
    if (before - after >= GIVEN_BACK_BYTES) {
      waitChecks = 0;
    } else {
      waitChecks = Math.min(MAX_WAIT_CHECKS, Math.max(1, 2 * waitChecks));
    }
    checksToWait = waitChecks;
  }
}
