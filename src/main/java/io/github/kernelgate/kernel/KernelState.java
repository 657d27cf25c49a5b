package io.github.kernelgate.kernel;

/** Where a kernel is in its life; the model's execution_state comes from this and the kernel's own status messages. */
public enum KernelState {
  /** Launched, waiting for its first kernel_info reply. */
  STARTING,
  /** Answering; the execution state (idle, busy) is whatever the kernel last published. */
  RUNNING,
  /** Being stopped and launched again under the same id. */
  RESTARTING,
  /** Being shut down for good. */
  TERMINATING,
  /** Its process ended by itself; kept so that clients and GET can see it. */
  DEAD
}
