package io.github.kernelgate.kernel;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.SpecAccess;

/**
 * Who may start what, and how many: EG_MAX_KERNELS and EG_MAX_KERNELS_PER_USER (pending starts
 * included), EG_ALLOWED_KERNELS (refuses starts too, not only listings), and the global and
 * per-spec authorized/unauthorized users. Every refusal is a 403 that says why.
 */
final class StartPolicy {

  private final GatewayConfig config;
  private final SpecAccess access;

  StartPolicy(GatewayConfig config) {
    this.config = config;
    this.access = new SpecAccess(config.allowedKernels(), config.unauthorizedUsers(), config.authorizedUsers());
  }

  void checkCapacity(int activeAndPending, int userActiveAndPending, String username) {
    int max = config.maxKernels();
    if (max >= 0 && activeAndPending >= max) {
      throw GatewayException.forbidden("A max kernels limit has been set to " + max + " and there are currently "
          + activeAndPending + " active and pending kernels.");
    }
    int perUser = config.maxKernelsPerUser();
    if (perUser >= 0 && userActiveAndPending >= perUser) {
      throw GatewayException.forbidden("A max kernels per user limit has been set to " + perUser + " and user '"
          + username + "' currently has " + userActiveAndPending + " active and pending kernels.");
    }
  }

  void checkAllowed(KernelSpec spec) {
    if (!access.isAllowed(spec)) {
      throw GatewayException.forbidden("Kernel '" + spec.name() + "' is not in the set of allowed kernels (EG_ALLOWED_KERNELS).");
    }
  }

  void checkUser(String username, KernelSpec spec) {
    if (access.isUnauthorized(username, spec)) {
      throw GatewayException.forbidden("User '" + username + "' is not authorized to start kernel '" + spec.displayName()
          + "'. Ensure KERNEL_USERNAME is set to an appropriate value and retry the request.");
    }
    if (!access.isAuthorized(username, spec)) {
      throw GatewayException.forbidden("User '" + username + "' is not in the set of users authorized to start kernel '"
          + spec.displayName() + "'. Ensure KERNEL_USERNAME is set to an appropriate value and retry the request.");
    }
  }
}
