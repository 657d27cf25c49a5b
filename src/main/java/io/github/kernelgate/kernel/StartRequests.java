package io.github.kernelgate.kernel;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The starts in progress, by the id of the HTTP request that asked for each, so a request whose
 * client hung up before the answer can end its start: nobody would ever learn of that kernel.
 * A start is known from its first step; its kernel once registered. Touched only on the
 * lifecycle verticle's event loop.
 */
final class StartRequests {

  /** A start whose kernel is not registered yet (its spec is being read). */
  private static final String NO_KERNEL_YET = "";
  /** A start whose client hung up before its kernel was registered: it must not register one. */
  private static final String ABANDONED = "abandoned";

  private final Map<String, String> kernelByRequest = new HashMap<>();

  void begin(String request) {
    kernelByRequest.put(request, NO_KERNEL_YET);
  }

  /** Records the start's kernel; answers false when the client already hung up, and the start must end here. */
  boolean register(String request, String kernelId) {
    if (ABANDONED.equals(kernelByRequest.get(request))) {
      return false;
    }
    kernelByRequest.put(request, kernelId);
    return true;
  }

  void end(String request) {
    kernelByRequest.remove(request);
  }

  /**
   * The client of {@code request} hung up: the kernel to stop, when one is registered. A start
   * not yet that far is marked so it never registers one; a start that already ended is ignored.
   */
  Optional<String> abandon(String request) {
    String kernelId = kernelByRequest.get(request);
    if (kernelId == null || kernelId.equals(ABANDONED)) {
      return Optional.empty();
    }
    if (kernelId.equals(NO_KERNEL_YET)) {
      kernelByRequest.put(request, ABANDONED);
      return Optional.empty();
    }
    return Optional.of(kernelId);
  }
}
