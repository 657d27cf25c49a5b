package io.github.kernelgate.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The kernels this gateway runs, starting ones included (they count toward the limits). */
final class KernelRegistry {

  private final Map<String, ManagedKernel> kernels = new LinkedHashMap<>();

  Optional<ManagedKernel> find(String kernelId) {
    return Optional.ofNullable(kernelId == null ? null : kernels.get(kernelId));
  }

  boolean contains(String kernelId) {
    return kernels.containsKey(kernelId);
  }

  void add(ManagedKernel kernel) {
    kernels.put(kernel.id, kernel);
  }

  void remove(String kernelId) {
    kernels.remove(kernelId);
  }

  List<ManagedKernel> all() {
    return new ArrayList<>(kernels.values());
  }

  /** Kernels that hold resources: everything but the dead and those being shut down. */
  int activeCount() {
    return (int) kernels.values().stream().filter(ManagedKernel::holdsResources).count();
  }

  int activeCountOf(String username) {
    return (int) kernels.values().stream().filter(ManagedKernel::holdsResources).filter(kernel -> kernel.username.equals(username)).count();
  }
}
