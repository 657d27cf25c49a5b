package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which start a hung-up client ends, at each step of the start. */
class StartRequestsTest {

  private final StartRequests starts = new StartRequests();

  @Test
  void aRegisteredStartIsEndedThroughItsKernel() {
    starts.begin("r1");
    assertThat(starts.register("r1", "k1")).isTrue();
    assertThat(starts.abandon("r1")).contains("k1");
  }

  @Test
  void aStartAbandonedBeforeItsKernelIsRegisteredRegistersNone() {
    starts.begin("r1");
    assertThat(starts.abandon("r1")).isEmpty();
    assertThat(starts.register("r1", "k1")).as("the start must end here").isFalse();
    assertThat(starts.abandon("r1")).isEmpty();
  }

  @Test
  void aStartThatEndedOrNeverBeganIsLeftAlone() {
    starts.begin("r1");
    starts.register("r1", "k1");
    starts.end("r1");
    assertThat(starts.abandon("r1")).isEmpty();
    assertThat(starts.abandon("unknown")).isEmpty();
    starts.begin("r2");
    assertThat(starts.register("r2", "k2")).as("other requests are unaffected").isTrue();
  }
}
