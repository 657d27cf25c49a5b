package io.github.kernelgate.kernel;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a kernel is in its life, and the one table of the moves between states; the model's
 * execution_state comes from this and the kernel's own status messages. A kernel leaves the
 * registry from TERMINATING, or from STARTING when its start fails.
 */
public enum KernelState {
  /** Launched, waiting for its first kernel_info reply. */
  STARTING,
  /** Answering; the execution state (idle, busy) is whatever the kernel last published. */
  RUNNING,
  /** Being stopped and launched again under the same id (requested, or after a death). */
  RESTARTING,
  /** Being shut down for good: nothing moves it elsewhere. */
  TERMINATING,
  /** Its process ended and will not be restarted; kept so that clients and GET can see it. */
  DEAD;

  /** The states this one may move to. */
  Set<KernelState> next() {
    return switch (this) {
      case STARTING -> EnumSet.of(RUNNING, TERMINATING);
      // RUNNING -> RUNNING is no move; a death goes through RESTARTING unless automatic restarts are off or used up.
      case RUNNING -> EnumSet.of(RESTARTING, TERMINATING, DEAD);
      case RESTARTING -> EnumSet.of(RUNNING, TERMINATING, DEAD);
      case DEAD -> EnumSet.of(RESTARTING, TERMINATING);
      case TERMINATING -> EnumSet.noneOf(KernelState.class);
    };
  }

  boolean canBecome(KernelState next) {
    return next().contains(next);
  }
}
