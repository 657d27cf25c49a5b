package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A collection runs while the committed heap is above the threshold and collections give back, and
 * not once it is below, nor while the JVM collects the old generation itself.
 */
class HeapTrimmerTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void collectsOnlyWhileTheCommittedHeapIsAboveTheThreshold() throws Exception {
    AtomicLong committed = new AtomicLong(TrimSchedule.TRIM_ABOVE_BYTES + (1 << 20));
    AtomicInteger collections = new AtomicInteger();
    CountDownLatch collected = new CountDownLatch(1);
    HeapTrimmer.start(vertx, 10, committed::get, () -> 0L, () -> 0L, () -> {
      // The collection gives the heap back: the next checks see it below the threshold.
      committed.set(TrimSchedule.TRIM_ABOVE_BYTES / 2);
      collections.incrementAndGet();
      collected.countDown();
    });
    assertThat(collected.await(10, TimeUnit.SECONDS)).isTrue();
    // A check that fired before the collection lowered the heap may still collect once more; after that, none.
    awaitTimer(100);
    int settled = collections.get();
    awaitTimer(300);
    assertThat(collections.get()).as("no collection while the heap is below the threshold").isEqualTo(settled);
  }

  @Test
  void aHeapThatCollectionsCannotShrinkIsNotCollectedAtEveryCheck() throws Exception {
    // 500 busy kernels keep about 120 MiB: a full collection every check gave nothing back and cost 130-520 ms.
    long committed = TrimSchedule.TRIM_ABOVE_BYTES + (30 << 20);
    AtomicInteger collections = new AtomicInteger();
    CountDownLatch twoCollections = new CountDownLatch(2);
    // The JVM's count of collections: ours, and a young one between every two checks (a busy gateway).
    AtomicLong collectionCount = new AtomicLong();
    AtomicLong oldCollectionCount = new AtomicLong();
    HeapTrimmer.start(vertx, 10, () -> committed, collectionCount::incrementAndGet, oldCollectionCount::get, () -> {
      collectionCount.incrementAndGet();
      oldCollectionCount.incrementAndGet();
      collections.incrementAndGet();
      twoCollections.countDown();
    });
    assertThat(twoCollections.await(10, TimeUnit.SECONDS)).as("fruitless collections are spaced out, not stopped").isTrue();
    awaitTimer(500);
    // At most 50 checks in the window; with doubling waits at most 7 of them collect (fewer when timers lag).
    assertThat(collections.get()).isLessThan(10);
  }

  @Test
  void noCollectionWhileTheJvmCollectsTheOldGenerationItself() throws Exception {
    long committed = TrimSchedule.TRIM_ABOVE_BYTES + (200 << 20);
    AtomicInteger collections = new AtomicInteger();
    CountDownLatch collected = new CountDownLatch(1);
    // Multi-MB messages passing: the JVM collects the old generation between every two checks.
    AtomicBoolean largeMessages = new AtomicBoolean(true);
    AtomicLong oldCollectionCount = new AtomicLong();
    AtomicLong checks = new AtomicLong();
    HeapTrimmer.start(vertx, 10, () -> committed, oldCollectionCount::get, () -> {
      checks.incrementAndGet();
      return largeMessages.get() ? oldCollectionCount.incrementAndGet() : oldCollectionCount.get();
    }, () -> {
      oldCollectionCount.incrementAndGet();
      collections.incrementAndGet();
      collected.countDown();
    });
    awaitTimer(300);
    assertThat(checks.get()).as("the checks ran").isGreaterThan(5);
    assertThat(collections.get()).as("no trim while the heap is in use").isZero();
    largeMessages.set(false);
    assertThat(collected.await(10, TimeUnit.SECONDS)).as("a trim once they are over").isTrue();
  }

  /** Waiting for a quiet period is the point here (checks run every 10 ms meanwhile). */
  private void awaitTimer(long millis) throws InterruptedException {
    CountDownLatch fired = new CountDownLatch(1);
    vertx.setTimer(millis, done -> fired.countDown());
    assertThat(fired.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
