package io.github.kernelgate.cluster;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.bus.HttpPhrases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Which replica owns each kernel (holds its ZMQ sockets), and each kernel's record, where every
 * replica reads them. Clustered, both are Hazelcast maps (a backup on another member, so one
 * member's death loses neither): owners map a kernel id to {@code instance@incarnation}
 * ({@link Replica}) and change hands only by compare-and-set, so a kernel is taken over by one
 * replica at most; records are the JSON of the kernel's state-store record. In one process every
 * kernel is this replica's and no map is kept.
 */
public final class KernelOwners {

  static final String OWNERS = "kernelgate.kernel-owners";
  static final String RECORDS = "kernelgate.kernel-records";
  private static final int RETRY_AFTER_SECONDS = 2;

  private final Vertx vertx;
  private final Replica self;
  private final boolean clustered;
  /** The owner values of the replicas that are members now. */
  private final Supplier<Set<String>> present;
  /**
   * Kernels this replica is taking over now: it owns them in the map before its registry holds
   * them (the sockets and the kernel's readiness come first), and a request meanwhile must hear
   * "being taken over", not "does not exist". Read on the kernel verticle's loop, written on the
   * failover verticle's.
   */
  private final Set<String> takingOver = ConcurrentHashMap.newKeySet();

  /** In one process: every kernel is this replica's. */
  public KernelOwners(Vertx vertx, Replica self) {
    this(vertx, self, false, () -> Set.of(self.ownerValue()));
  }

  /** A replica of a cluster whose present members {@code membership} tells. */
  public KernelOwners(Vertx vertx, ClusterMembership membership) {
    this(vertx, membership.self(), true, membership::present);
  }

  private KernelOwners(Vertx vertx, Replica self, boolean clustered, Supplier<Set<String>> present) {
    this.vertx = vertx;
    this.self = self;
    this.clustered = clustered;
    this.present = present;
  }

  public Replica self() {
    return self;
  }

  public boolean clustered() {
    return clustered;
  }

  /** Whether {@code instanceId} is this replica's. */
  public boolean isSelf(String instanceId) {
    return self.instanceId().equals(instanceId);
  }

  /** Records this replica as the owner of a kernel it starts. */
  public Future<Void> claim(String kernelId) {
    return clustered ? owners().compose(owners -> owners.put(kernelId, self.ownerValue())) : Future.succeededFuture();
  }

  /**
   * Claims a kernel this instance recorded before it (re)started: granted unless another replica
   * owns it now (it took the kernel over meanwhile). In one process, always granted.
   */
  public Future<Boolean> claimRecorded(String kernelId) {
    if (!clustered) {
      return Future.succeededFuture(true);
    }
    return owners().compose(owners -> owners.get(kernelId).compose(current -> {
      if (current == null) {
        return owners.putIfAbsent(kernelId, self.ownerValue()).map(previous -> previous == null);
      }
      if (!isSelf(Replica.instanceOf(current))) {
        return Future.succeededFuture(false);
      }
      return current.equals(self.ownerValue()) ? Future.succeededFuture(true) : owners.replaceIfPresent(kernelId, current, self.ownerValue());
    }));
  }

  /** Takes a kernel over from a replica that left ({@code from}: its owner value); true for the one replica that wins it. */
  public Future<Boolean> takeOver(String kernelId, String from) {
    return clustered ? owners().compose(owners -> owners.replaceIfPresent(kernelId, from, self.ownerValue())) : Future.succeededFuture(false);
  }

  /**
   * Runs a takeover of the kernel (from winning its ownership until the registry holds it or it
   * is released); meanwhile {@link #isBeingTakenOver} is true for it.
   */
  public <T> Future<T> whileTakingOver(String kernelId, Supplier<Future<T>> takeover) {
    takingOver.add(kernelId);
    Future<T> done;
    try {
      done = takeover.get();
    } catch (RuntimeException failed) {
      done = Future.failedFuture(failed);
    }
    return done.andThen(over -> takingOver.remove(kernelId));
  }

  public boolean isBeingTakenOver(String kernelId) {
    return takingOver.contains(kernelId);
  }

  /** What a command for a kernel answers while this replica takes it over. */
  public static GatewayException beingTakenOver(String kernelId) {
    return new GatewayException(503, HttpPhrases.of(503), "Kernel " + kernelId + " is being taken over by this replica"
        + " (the replica that served it has left the cluster)", RETRY_AFTER_SECONDS);
  }

  /** Forgets the kernel, if this replica still owns it (a later owner's claim stays). */
  public Future<Void> release(String kernelId) {
    return clustered ? owners().compose(owners -> owners.removeIfPresent(kernelId, self.ownerValue())).mapEmpty() : Future.succeededFuture();
  }

  /**
   * The instance that serves a kernel; this one for a kernel nobody owns, so that its own
   * registry answers (404). Fails with 503 and Retry-After while the owner is a replica that left
   * the cluster and no survivor has taken the kernel over yet.
   */
  public Future<String> ownerOf(String kernelId) {
    if (!clustered) {
      return Future.succeededFuture(self.instanceId());
    }
    return owners().compose(owners -> owners.get(kernelId)).compose(owner -> {
      if (owner == null) {
        return Future.succeededFuture(self.instanceId());
      }
      if (!present.get().contains(owner)) {
        return Future.failedFuture(ownerLeft(Replica.instanceOf(owner)));
      }
      return Future.succeededFuture(Replica.instanceOf(owner));
    });
  }

  /** What a command for a kernel of a replica that left answers until a survivor has taken the kernel over. */
  public static GatewayException ownerLeft(String instanceId) {
    return new GatewayException(503, HttpPhrases.of(503), "Replica " + instanceId + ", which served this kernel, has left the cluster;"
        + " another replica is taking the kernel over", RETRY_AFTER_SECONDS);
  }

  /**
   * Every instance that owns a kernel and is a member now, and this one. (The kernels of a replica
   * that left are missing from lists for the seconds until a survivor has taken them over.)
   */
  public Future<Set<String>> replicas() {
    if (!clustered) {
      return Future.succeededFuture(Set.of(self.instanceId()));
    }
    return owners().compose(AsyncMap::entries).map(entries -> {
      Set<String> members = present.get();
      Set<String> replicas = new TreeSet<>();
      entries.values().stream().filter(members::contains).forEach(owner -> replicas.add(Replica.instanceOf(owner)));
      replicas.add(self.instanceId());
      return replicas;
    });
  }

  /** Every owned kernel with its owner value ({@code instance@incarnation}); empty in one process. */
  public Future<Map<String, String>> all() {
    return clustered ? owners().compose(AsyncMap::entries) : Future.succeededFuture(Map.of());
  }

  /** Keeps a kernel's record where every replica can read it (clustered only). */
  public Future<Void> keepRecord(String kernelId, JsonObject record) {
    return clustered ? records().compose(records -> records.put(kernelId, record.encode())) : Future.succeededFuture();
  }

  public Future<Void> dropRecord(String kernelId) {
    return clustered ? records().compose(records -> records.remove(kernelId)).mapEmpty() : Future.succeededFuture();
  }

  public Future<Optional<JsonObject>> recordOf(String kernelId) {
    return clustered ? records().compose(records -> records.get(kernelId)).map(text -> Optional.ofNullable(text).map(JsonObject::new))
        : Future.succeededFuture(Optional.empty());
  }

  private Future<AsyncMap<String, String>> owners() {
    return vertx.sharedData().getAsyncMap(OWNERS);
  }

  private Future<AsyncMap<String, String>> records() {
    return vertx.sharedData().getAsyncMap(RECORDS);
  }
}
