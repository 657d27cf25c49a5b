package io.github.kernelgate.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which replica owns each kernel: the one holding its ZMQ sockets, named by its gateway instance
 * id. Clustered, the answer is a map every replica reads and each owner writes (Hazelcast, with a
 * backup on another member); in one process every kernel is this replica's and no map is kept.
 */
public final class KernelOwners {

  private static final String MAP = "kernelgate.kernel-owners";

  private final Vertx vertx;
  private final String self;
  private final boolean clustered;

  public KernelOwners(Vertx vertx, String self, boolean clustered) {
    this.vertx = vertx;
    this.self = self;
    this.clustered = clustered;
  }

  /** This replica's instance id. */
  public String self() {
    return self;
  }

  public boolean clustered() {
    return clustered;
  }

  public boolean isSelf(String replica) {
    return self.equals(replica);
  }

  /** Records this replica as the kernel's owner (a start or a take-over began here). */
  public Future<Void> claim(String kernelId) {
    return clustered ? map().compose(owners -> owners.put(kernelId, self)) : Future.succeededFuture();
  }

  /** Forgets the kernel, if this replica still owns it (a later owner's claim stays). */
  public Future<Void> release(String kernelId) {
    return clustered ? map().compose(owners -> owners.removeIfPresent(kernelId, self)).mapEmpty() : Future.succeededFuture();
  }

  /** The owner of a kernel; this replica for a kernel nobody owns, so that its own registry answers (404). */
  public Future<String> ownerOf(String kernelId) {
    return clustered ? map().compose(owners -> owners.get(kernelId)).map(owner -> owner == null ? self : owner)
        : Future.succeededFuture(self);
  }

  /** Every replica that owns a kernel, and this one. */
  public Future<Set<String>> replicas() {
    if (!clustered) {
      return Future.succeededFuture(Set.of(self));
    }
    return map().compose(AsyncMap::entries).map(entries -> {
      Set<String> replicas = new TreeSet<>(entries.values());
      replicas.add(self);
      return replicas;
    });
  }

  /** Every owned kernel with its owner. */
  public Future<Map<String, String>> all() {
    return clustered ? map().compose(AsyncMap::entries) : Future.succeededFuture(Map.of());
  }

  private Future<AsyncMap<String, String>> map() {
    return vertx.sharedData().getAsyncMap(MAP);
  }
}
