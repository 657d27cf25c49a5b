package io.github.kernelgate.ops;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A full collection that gives the heap back: the {@link HeapTrimmer}'s. The shipped JVM settings
 * keep generous free heap after a collection (MinHeapFreeRatio 50, MaxHeapFreeRatio 80), so that
 * while a kernel prints a large output each multi-MB message finds room without a full collection
 * and fresh pages first (one of each per message with 10 / 30: a 30-45 ms pause of every kernel's
 * traffic, and 12 us per page fault on the development VM). For its own collection the trimmer
 * asks for little free heap (10 / 30) and puts the settings back afterwards, so a quiet gateway
 * still shrinks to what it holds.
 */
final class LeanCollection implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(LeanCollection.class);
  static final int LEAN_MIN_FREE_PERCENT = 10;
  static final int LEAN_MAX_FREE_PERCENT = 30;
  private static final String MIN_FREE = "MinHeapFreeRatio";
  private static final String MAX_FREE = "MaxHeapFreeRatio";

  private final HotSpotDiagnosticMXBean flags;
  private final Runnable collect;

  LeanCollection(HotSpotDiagnosticMXBean flags, Runnable collect) {
    this.flags = flags;
    this.collect = collect;
  }

  /** System.gc() with this JVM's settings, or plain System.gc() on a JVM without HotSpot's flags. */
  static Runnable ofThisJvm() {
    HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
    return flags == null ? System::gc : new LeanCollection(flags, System::gc);
  }

  @Override
  public void run() {
    int minFree;
    int maxFree;
    try {
      minFree = Integer.parseInt(flags.getVMOption(MIN_FREE).getValue());
      maxFree = Integer.parseInt(flags.getVMOption(MAX_FREE).getValue());
      // Min must stay at or below Max at every step: lower Min first, raise Max first.
      flags.setVMOption(MIN_FREE, String.valueOf(Math.min(minFree, LEAN_MIN_FREE_PERCENT)));
      flags.setVMOption(MAX_FREE, String.valueOf(Math.min(maxFree, LEAN_MAX_FREE_PERCENT)));
    } catch (RuntimeException notWritable) {
      LOG.debug("heap free ratios cannot be changed here; collecting with the current ones", notWritable);
      collect.run();
      return;
    }
    try {
      collect.run();
    } finally {
      flags.setVMOption(MAX_FREE, String.valueOf(maxFree));
      flags.setVMOption(MIN_FREE, String.valueOf(minFree));
    }
  }
}
