package io.github.kernelgate.ops;

/**
 * When {@link HeapTrimmer} collects, counted in its checks. A collection is due while the
 * committed heap is above {@link #TRIM_ABOVE_BYTES} and collections give memory back. Fruitless
 * ones in a row (the heap is the size the load needs: 500 busy kernels keep about 120 MiB, and a
 * full collection of it cost 130-520 ms at every check) space the next ones out, doubling up to
 * {@link #MAX_WAIT_CHECKS}. Collections are due again at once when the heap grew, or when the
 * gateway went quiet (no collection but ours since the last check, after some): a burst is over
 * and what it needed can go back. None is due while the JVM collects the old generation by itself:
 * the heap is then the size the traffic needs (multi-MB messages are passing through it).
 * The serial collector gives back in steps (nothing at the first full collection after a change,
 * then 10%, 40%, all), so the first fruitless collection does not delay the next.
 */
final class TrimSchedule {

  static final long TRIM_ABOVE_BYTES = 96L << 20;
  /** Growth over the heap left by the last collection that makes the next one due at once. */
  static final long REGROWTH_BYTES = 16L << 20;
  /** A collection giving back less is fruitless. */
  static final long GIVEN_BACK_BYTES = 1L << 20;
  static final int MAX_WAIT_CHECKS = 30;

  private long committedAfterLast;
  private int fruitlessInARow;
  private int checksToWait;
  private boolean wasQuiet = true;

  /**
   * Called at every check: whether to collect now. {@code quiet}: no collection other than the
   * trimmer's own ran since the previous check; {@code heapInUse}: the JVM collected the old
   * generation by itself since then.
   */
  boolean due(long committedBytes, boolean quiet, boolean heapInUse) {
    boolean wentQuiet = quiet && !wasQuiet;
    wasQuiet = quiet;
    if (committedBytes <= TRIM_ABOVE_BYTES || heapInUse) {
      return false;
    }
    if (wentQuiet || committedBytes > committedAfterLast + REGROWTH_BYTES) {
      fruitlessInARow = 0;
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
    fruitlessInARow = before - after >= GIVEN_BACK_BYTES ? 0 : fruitlessInARow + 1;
    checksToWait = fruitlessInARow <= 1 ? 0 : Math.min(MAX_WAIT_CHECKS, 1 << Math.min(20, fruitlessInARow - 2));
  }
}
