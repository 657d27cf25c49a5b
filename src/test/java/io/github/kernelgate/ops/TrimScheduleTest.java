package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Collections run while they give memory back; fruitless ones in a row space the next out; growth
 * of the heap, or the gateway going quiet after a burst, makes them due again at once. None while
 * the JVM collects the old generation by itself (multi-MB messages are passing).
 */
class TrimScheduleTest {

  private static final long MIB = 1L << 20;
  private static final boolean BUSY = false;
  private static final boolean QUIET = true;
  private static final boolean NO_OLD_COLLECTIONS = false;
  private static final boolean OLD_GENERATION_COLLECTED = true;
  private final TrimSchedule schedule = new TrimSchedule();

  @Test
  void nothingIsDueBelowTheThreshold() {
    assertThat(schedule.due(TrimSchedule.TRIM_ABOVE_BYTES, QUIET, NO_OLD_COLLECTIONS)).isFalse();
    assertThat(schedule.due(TrimSchedule.TRIM_ABOVE_BYTES - MIB, BUSY, NO_OLD_COLLECTIONS)).isFalse();
  }

  @Test
  void collectionsThatGiveBackRunAtEveryCheck() {
    long heap = 400 * MIB;
    for (int check = 0; check < 5; check++) {
      assertThat(schedule.due(heap, QUIET, NO_OLD_COLLECTIONS)).as("check %d", check).isTrue();
      schedule.collected(heap, heap - 50 * MIB);
      heap -= 50 * MIB;
    }
  }

  @Test
  void fruitlessCollectionsUnderLoadAreSpacedOutUpToTheLimit() {
    List<Integer> collectedAt = fruitlessChecksWhileBusy(122 * MIB, 400);
    // The first fruitless one does not delay the next (the serial collector's first step gives nothing back);
    // then waits of 1, 2, 4, 8, 16 checks, then 30 at most.
    assertThat(collectedAt.subList(0, 8)).containsExactly(0, 1, 3, 6, 11, 20, 37, 68);
    assertThat(collectedAt.get(collectedAt.size() - 1) - collectedAt.get(collectedAt.size() - 2)).isEqualTo(TrimSchedule.MAX_WAIT_CHECKS + 1);
  }

  @Test
  void theSerialCollectorsStepsAreFollowedAtEveryCheck() {
    // Nothing back at the first full collection after a change, then 10%, 40%, the rest.
    long[] after = {500, 460, 300, 120};
    long heap = 500 * MIB;
    for (long left : after) {
      assertThat(schedule.due(heap, QUIET, NO_OLD_COLLECTIONS)).isTrue();
      schedule.collected(heap, left * MIB);
      heap = left * MIB;
    }
  }

  @Test
  void aHeapThatGrewAgainIsCollectedAtOnce() {
    long heap = 122 * MIB;
    fruitlessChecksWhileBusy(heap, 40);
    assertThat(schedule.due(heap, BUSY, NO_OLD_COLLECTIONS)).as("backing off").isFalse();
    assertThat(schedule.due(heap + TrimSchedule.REGROWTH_BYTES + MIB, BUSY, NO_OLD_COLLECTIONS)).as("grew after a burst").isTrue();
  }

  @Test
  void aGatewayThatWentQuietIsCollectedAtOnceButOnlyOnce() {
    long heap = 122 * MIB;
    fruitlessChecksWhileBusy(heap, 40);
    assertThat(schedule.due(heap, BUSY, NO_OLD_COLLECTIONS)).as("backing off").isFalse();
    assertThat(schedule.due(heap, QUIET, NO_OLD_COLLECTIONS)).as("the burst is over").isTrue();
    schedule.collected(heap, heap);
    // Staying quiet is no news: fruitless collections of an idle heap back off again.
    assertThat(schedule.due(heap, QUIET, NO_OLD_COLLECTIONS)).isTrue();
    schedule.collected(heap, heap);
    assertThat(schedule.due(heap, QUIET, NO_OLD_COLLECTIONS)).isFalse();
  }

  @Test
  void nothingIsDueWhileTheJvmCollectsTheOldGenerationItself() {
    long heap = 400 * MIB;
    for (int check = 0; check < 5; check++) {
      assertThat(schedule.due(heap, BUSY, OLD_GENERATION_COLLECTED)).as("check %d, large messages passing", check).isFalse();
      heap += 50 * MIB;
    }
    assertThat(schedule.due(heap, BUSY, NO_OLD_COLLECTIONS)).as("the large messages are over").isTrue();
  }

  private List<Integer> fruitlessChecksWhileBusy(long heap, int checks) {
    List<Integer> collectedAt = new ArrayList<>();
    for (int check = 0; check < checks; check++) {
      if (schedule.due(heap, BUSY, NO_OLD_COLLECTIONS)) {
        collectedAt.add(check);
        schedule.collected(heap, heap);
      }
    }
    return collectedAt;
  }
}
