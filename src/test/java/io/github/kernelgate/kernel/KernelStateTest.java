package io.github.kernelgate.kernel;

import static io.github.kernelgate.kernel.KernelState.DEAD;
import static io.github.kernelgate.kernel.KernelState.RESTARTING;
import static io.github.kernelgate.kernel.KernelState.RUNNING;
import static io.github.kernelgate.kernel.KernelState.STARTING;
import static io.github.kernelgate.kernel.KernelState.TERMINATING;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The lifecycle's table of moves: every state's way out, and the moves it refuses. */
class KernelStateTest {

  @Test
  void aStartEndsRunningOrDeleted() {
    assertThat(STARTING.next()).containsExactlyInAnyOrder(RUNNING, TERMINATING);
  }

  @Test
  void aRunningKernelRestartsDiesOrIsDeleted() {
    assertThat(RUNNING.next()).containsExactlyInAnyOrder(RESTARTING, TERMINATING, DEAD);
  }

  @Test
  void aRestartEndsRunningDeadOrDeletedAndNeverRestartsTwice() {
    assertThat(RESTARTING.next()).containsExactlyInAnyOrder(RUNNING, TERMINATING, DEAD);
    assertThat(RESTARTING.canBecome(RESTARTING)).isFalse();
  }

  @Test
  void aDeadKernelCanOnlyBeRestartedOrDeleted() {
    assertThat(DEAD.next()).containsExactlyInAnyOrder(RESTARTING, TERMINATING);
  }

  @Test
  void nothingComesBackFromTerminating() {
    assertThat(TERMINATING.next()).isEmpty();
  }

  @Test
  void aRefusedMoveLeavesTheKernelWhereItWas() {
    ManagedKernel kernel = new ManagedKernel("k", null, "local", "u", java.util.Map.of(), null, 1_000);
    assertThat(kernel.moveTo(RESTARTING)).as("a start cannot restart").isFalse();
    assertThat(kernel.state()).isEqualTo(STARTING);
    assertThat(kernel.moveTo(TERMINATING)).isTrue();
    assertThat(kernel.moveTo(RUNNING)).as("a late launch does not revive a deleted kernel").isFalse();
    assertThat(kernel.state()).isEqualTo(TERMINATING);
  }
}
