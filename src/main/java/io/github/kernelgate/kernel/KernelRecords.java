package io.github.kernelgate.kernel;

import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.kernel.store.KernelRecord;
import io.github.kernelgate.kernel.store.KernelStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each kernel's record in the {@link KernelStore} as the kernel changes: written when it is
 * ready (after a start or a restart) and when its sessions change, removed when it is shut down or
 * dead. File I/O runs on a
 * worker, one operation after the other in the order asked.
 */
final class KernelRecords {

  private static final Logger LOG = LoggerFactory.getLogger(KernelRecords.class);

  private final Vertx vertx;
  private final KernelStore store;
  private final boolean enabled;
  /** Clustered, a copy of every record where the other replicas can read it, to take the kernel over if this one dies. */
  private final KernelOwners cluster;
  /** A kernel's sessions as its record keeps them. */
  private final Function<String, JsonArray> sessionsOf;

  KernelRecords(Vertx vertx, KernelStore store, boolean enabled, KernelOwners cluster, Function<String, JsonArray> sessionsOf) {
    this.vertx = vertx;
    this.store = store;
    this.enabled = enabled;
    this.cluster = cluster;
    this.sessionsOf = sessionsOf;
  }

  /**
   * Whether running kernels outlive the gateway (KG_PERSIST_KERNELS); a kernel whose proxy cannot
   * take it over is cleaned up at the next start.
   */
  boolean enabled() {
    return enabled;
  }

  /**
   * Keeps the kernel's record in the cluster and in the state store. Completes once both writes
   * are done, never failed: a write that failed is logged (the kernel runs on, but cannot be taken
   * over). A start answers only then, so a gateway killed right after its answer still holds the record.
   */
  Future<Void> save(ManagedKernel kernel) {
    if (kernel.launched == null) {
      return Future.succeededFuture();
    }
    KernelRecord record = new KernelRecord(kernel.id, kernel.spec.name(), kernel.proxyName, kernel.username, kernel.env, kernel.path,
        kernel.launchTimeoutMillis, kernel.launchId, kernel.launched.connectionInfo().toJson(), kernel.launched.processInfo(),
        sessionsOf.apply(kernel.id));
    Future<Void> shared = cluster.keepRecord(kernel.id, record.toJson()).onFailure(failure -> LOG.atError().addKeyValue("kernel_id", kernel.id)
        .log("kernel record not shared with the cluster: no other replica can take this kernel over: {}", failure.getMessage()));
    if (!enabled) {
      return shared.otherwiseEmpty();
    }
    Future<Void> written = vertx.<Void>executeBlocking(() -> {
      store.write(record);
      return null;
    }, true).onFailure(failure -> LOG.atError().addKeyValue("kernel_id", kernel.id).addKeyValue("state_dir", store.directory())
        .log("kernel record not written: this kernel will not be taken over after a restart: {}", failure.getMessage()));
    return Future.join(shared, written).<Void>mapEmpty().otherwiseEmpty();
  }

  void forget(String kernelId) {
    cluster.dropRecord(kernelId).onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
        .log("kernel record not dropped from the cluster: {}", failure.getMessage()));
    forgetHere(kernelId);
  }

  /** Drops this replica's own record of a kernel (another replica serves it now), not the cluster's. */
  void forgetHere(String kernelId) {
    if (!enabled) {
      return;
    }
    vertx.executeBlocking(() -> {
      store.delete(kernelId);
      return null;
    }, true).onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
        .log("kernel record not deleted: {}", failure.getMessage()));
  }

  /** Every readable record (none when persistence is off). */
  Future<List<KernelRecord>> readAll() {
    return enabled ? vertx.executeBlocking(store::readAll, true) : Future.succeededFuture(List.of());
  }
}
