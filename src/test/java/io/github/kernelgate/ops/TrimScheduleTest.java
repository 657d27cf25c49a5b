package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Collections run while they give memory back; fruitless ones space the next out; growth brings them back. */
class TrimScheduleTest {

  private static final long MIB = 1L << 20;
  private final TrimSchedule schedule = new TrimSchedule();

  @Test
  void nothingIsDueBelowTheThreshold() {
    assertThat(schedule.due(TrimSchedule.TRIM_ABOVE_BYTES)).isFalse();
    assertThat(schedule.due(TrimSchedule.TRIM_ABOVE_BYTES - MIB)).isFalse();
  }

  @Test
  void collectionsThatGiveBackRunAtEveryCheck() {
    long heap = 400 * MIB;
    for (int check = 0; check < 5; check++) {
      assertThat(schedule.due(heap)).as("check %d", check).isTrue();
      schedule.collected(heap, heap - 50 * MIB);
      heap -= 50 * MIB;
    }
  }

  @Test
  void fruitlessCollectionsDoubleTheWaitUpToTheLimit() {
    long heap = 122 * MIB;
    List<Integer> collectedAt = new ArrayList<>();
    for (int check = 0; check < 400; check++) {
      if (schedule.due(heap)) {
        collectedAt.add(check);
        schedule.collected(heap, heap);
      }
    }
    // Waits of 1, 2, 4, 8, 16 checks, then 30 at most.
    assertThat(collectedAt.subList(0, 7)).containsExactly(0, 2, 5, 10, 19, 36, 67);
    assertThat(collectedAt.get(collectedAt.size() - 1) - collectedAt.get(collectedAt.size() - 2)).isEqualTo(TrimSchedule.MAX_WAIT_CHECKS + 1);
  }

  @Test
  void aFirstFruitlessCollectionDelaysTheNextByOneCheckOnly() {
    // The serial collector gives nothing back at its first full collection after a change, then in steps.
    assertThat(schedule.due(500 * MIB)).isTrue();
    schedule.collected(500 * MIB, 500 * MIB);
    assertThat(schedule.due(500 * MIB)).isFalse();
    assertThat(schedule.due(500 * MIB)).isTrue();
    schedule.collected(500 * MIB, 450 * MIB);
    assertThat(schedule.due(450 * MIB)).isTrue();
  }

  @Test
  void aHeapThatGrewAgainIsCollectedAtOnce() {
    long heap = 122 * MIB;
    for (int i = 0; i < 4; i++) {
      while (!schedule.due(heap)) {
        // waiting out the backoff
      }
      schedule.collected(heap, heap);
    }
    assertThat(schedule.due(heap)).as("backing off").isFalse();
    assertThat(schedule.due(heap + TrimSchedule.REGROWTH_BYTES + MIB)).as("grew after a burst").isTrue();
  }
}
