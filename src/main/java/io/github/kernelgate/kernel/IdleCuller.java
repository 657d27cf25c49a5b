package io.github.kernelgate.kernel;

import io.github.kernelgate.config.GatewayConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Decides which kernels idle culling shuts down: dead ones, and those idle longer than
 * EG_CULL_IDLE_TIMEOUT unless busy (EG_CULL_BUSY) or connected (EG_CULL_CONNECTED).
 */
final class IdleCuller {

  private final GatewayConfig config;

  IdleCuller(GatewayConfig config) {
    this.config = config;
  }

  boolean enabled() {
    return config.cullIdleTimeoutSeconds() > 0;
  }

  /** Culling period; Jupyter falls back to 300 s for a non-positive interval. */
  long intervalMillis() {
    int seconds = config.cullIntervalSeconds() > 0 ? config.cullIntervalSeconds() : 300;
    return seconds * 1000L;
  }

  List<ManagedKernel> selectForCulling(List<ManagedKernel> kernels, Instant now) {
    return kernels.stream().filter(kernel -> shouldCull(kernel, now)).toList();
  }

  private boolean shouldCull(ManagedKernel kernel, Instant now) {
    if (kernel.is(KernelState.DEAD)) {
      return true;
    }
    if (!kernel.is(KernelState.RUNNING)) {
      return false;
    }
    boolean idleTooLong = Duration.between(kernel.lastActivity, now).getSeconds() > config.cullIdleTimeoutSeconds();
    boolean busyAllowed = config.cullBusy() || !"busy".equals(kernel.executionState);
    boolean connectedAllowed = config.cullConnected() || kernel.connections == 0;
    return idleTooLong && busyAllowed && connectedAllowed;
  }
}
