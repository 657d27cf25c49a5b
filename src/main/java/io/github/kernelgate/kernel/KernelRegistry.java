package io.github.kernelgate.kernel;

import io.github.kernelgate.cluster.KernelOwners;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernels this gateway runs, starting ones included (they count toward the limits). Clustered,
 * the other replicas learn from it which kernels this one owns ({@link KernelOwners}).
 */
final class KernelRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(KernelRegistry.class);

  private final Map<String, ManagedKernel> kernels = new LinkedHashMap<>();
  private final KernelOwners owners;

  KernelRegistry(KernelOwners owners) {
    this.owners = owners;
  }

  Optional<ManagedKernel> find(String kernelId) {
    return Optional.ofNullable(kernelId == null ? null : kernels.get(kernelId));
  }

  boolean contains(String kernelId) {
    return kernels.containsKey(kernelId);
  }

  void add(ManagedKernel kernel) {
    kernels.put(kernel.id, kernel);
    owners.claim(kernel.id).onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernel.id)
        .log("ownership of kernel not published: other replicas will not find it: {}", failure.getMessage()));
  }

  void remove(String kernelId) {
    kernels.remove(kernelId);
    owners.release(kernelId).onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
        .log("ownership of kernel not withdrawn: {}", failure.getMessage()));
  }

  /** Publishes again that this replica owns a kernel (the cluster lost the entry, say in a partition). */
  void claimAgain(String kernelId) {
    owners.claim(kernelId).onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
        .log("ownership of kernel not published: {}", failure.getMessage()));
  }

  /** Drops a kernel another replica owns now, leaving its ownership as it is. */
  void forget(String kernelId) {
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
