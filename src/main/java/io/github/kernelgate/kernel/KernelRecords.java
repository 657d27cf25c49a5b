package io.github.kernelgate.kernel;

import io.github.kernelgate.kernel.store.KernelRecord;
import io.github.kernelgate.kernel.store.KernelStore;
import io.github.kernelgate.proxy.ProxyNames;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each kernel's record in the {@link KernelStore} as the kernel changes: written when it is
 * ready (after a start or a restart), removed when it is shut down or dead. File I/O runs on a
 * worker, one operation after the other in the order asked. Local kernels are not recorded: they
 * are not taken over (see LocalProcessProxy#adopt).
 */
final class KernelRecords {

  private static final Logger LOG = LoggerFactory.getLogger(KernelRecords.class);
  private static final Set<String> NOT_TAKEN_OVER = Set.of(ProxyNames.LOCAL, ProxyNames.LAUNCHER);

  private final Vertx vertx;
  private final KernelStore store;
  private final boolean enabled;

  KernelRecords(Vertx vertx, KernelStore store, boolean enabled) {
    this.vertx = vertx;
    this.store = store;
    this.enabled = enabled;
  }

  /** Whether this kernel outlives the gateway: persistence on and a proxy that can take it over. */
  boolean keeps(ManagedKernel kernel) {
    return enabled && !NOT_TAKEN_OVER.contains(kernel.proxyName);
  }

  void save(ManagedKernel kernel) {
    if (!keeps(kernel) || kernel.launched == null) {
      return;
    }
    KernelRecord record = new KernelRecord(kernel.id, kernel.spec.name(), kernel.proxyName, kernel.username, kernel.env, kernel.path,
        kernel.launchTimeoutMillis, kernel.launchId, kernel.launched.connectionInfo().toJson(), kernel.launched.processInfo());
    vertx.executeBlocking(() -> {
      store.write(record);
      return null;
    }, true).onFailure(failure -> LOG.error("kernel record not written: this kernel will not be taken over after a restart"
        + " [kernel_id={}, state_dir={}]: {}", kernel.id, store.directory(), failure.getMessage()));
  }

  void forget(String kernelId) {
    if (!enabled) {
      return;
    }
    vertx.executeBlocking(() -> {
      store.delete(kernelId);
      return null;
    }, true).onFailure(failure -> LOG.warn("kernel record not deleted [kernel_id={}]: {}", kernelId, failure.getMessage()));
  }

  /** Every readable record (none when persistence is off). */
  Future<List<KernelRecord>> readAll() {
    return enabled ? vertx.executeBlocking(store::readAll, true) : Future.succeededFuture(List.of());
  }
}
