package io.github.kernelgate.cluster;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.bus.KernelCommands;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Clustered: the kernels of a replica that left are taken over by the survivors. Each survivor
 * competes for each such kernel with a compare-and-set on its owner ({@link KernelOwners#takeOver}),
 * so exactly one wins it, and takes the ones it won over from their records in the cluster: the
 * proxy confirms the kernel still runs, the ZMQ sockets reconnect, kernel_info answers. The sweep
 * runs at start and after every departure, over every kernel whose owner is not a member any
 * more, so none is forgotten when replicas leave one after the other. Replicas that left also
 * lose their relayed WebSockets here ({@link Addresses#REPLICA_LEFT}), so those clients reconnect.
 */
public final class FailoverVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(FailoverVerticle.class);
  /** Docker removes a container within its own 30 s wait; a daemon slower than this is reported, not waited for. */
  private static final long REMOVAL_TIMEOUT_MILLIS = 120_000;

  private final KernelOwners owners;
  private final ClusterMembership membership;
  /** Kernels this replica is taking over now: a second sweep does not compete for them again. */
  private final Set<String> inFlight = new HashSet<>();
  private Runnable stopListening = () -> { };
  private Runnable stopListeningForMerges = () -> { };

  public FailoverVerticle(KernelOwners owners, ClusterMembership membership) {
    this.owners = owners;
    this.membership = membership;
  }

  @Override
  public Future<?> start() {
    Context context = vertx.getOrCreateContext();
    stopListening = membership.onDeparture(replica -> context.runOnContext(turn -> departed(replica)));
    stopListeningForMerges = membership.onMerged(() -> context.runOnContext(turn -> rejoined()));
    sweep();
    return Future.succeededFuture();
  }

  /** A replica that stops takes nothing over any more: its lifecycle stops right after this. */
  @Override
  public Future<?> stop() {
    stopListening.run();
    stopListeningForMerges.run();
    return Future.succeededFuture();
  }

  private void departed(String replica) {
    LOG.atWarn().addKeyValue("replica", replica).log("replica left the cluster: its kernels are taken over");
    vertx.eventBus().publish(Addresses.REPLICA_LEFT, new JsonObject().put("instance", Replica.instanceOf(replica)));
    sweep();
  }

  /**
   * Back from a partition (or a hang past the failure timeout): the others may have taken this
   * replica's kernels over, and this one theirs, meanwhile. The owner map that survived the merge
   * decides; the lifecycle lets go of what is owned elsewhere now.
   */
  private void rejoined() {
    LOG.warn("this replica rejoined the cluster after a partition: the cluster's owner of each kernel is checked");
    owners.all().compose(all -> JsonBus.request(vertx, Addresses.KERNEL_RECONCILE_OWNERS, new JsonObject().put("owners", new JsonObject(new HashMap<>(all))), KernelCommands.timeoutMillis(Addresses.KERNEL_RECONCILE_OWNERS)))
        .onSuccess(answer -> LOG.info("after the partition: {} kernel(s) let go of, {} claimed again", answer.getInteger("let_go"),
            answer.getInteger("claimed")))
        .onFailure(failure -> LOG.error("kernel owners not reconciled after the partition: {}", failure.getMessage()));
    sweep();
  }

  private void sweep() {
    owners.all().onSuccess(all -> {
      Set<String> present = membership.present();
      for (Map.Entry<String, String> owned : all.entrySet()) {
        if (!present.contains(owned.getValue()) && inFlight.add(owned.getKey())) {
          compete(owned.getKey(), owned.getValue()).onComplete(done -> inFlight.remove(owned.getKey()));
        }
      }
    }).onFailure(failure -> LOG.error("kernel owners cannot be read: kernels of replicas that left are not taken over now: {}",
        failure.getMessage()));
  }

  /**
   * A kernel is owned from its launch on but recorded only once it runs: one without a record was
   * still starting when its replica left. Its launcher would answer a listener that is gone, so the
   * launch fails; the container or service it may have left is removed here (a local process is
   * left to its own replica's next start, on its own host).
   */
  private Future<Void> removeUnfinishedLaunch(String kernelId, String from) {
    LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("replica", from)
        .log("kernel of a departed replica was still starting: its launch fails");
    JsonObject kernel = new JsonObject().put("kernel_id", kernelId).put("instance", Replica.instanceOf(from));
    return JsonBus.request(vertx, Addresses.DOCKER_REMOVE_KERNEL_OBJECTS, kernel, REMOVAL_TIMEOUT_MILLIS)
        .onSuccess(answer -> LOG.atInfo().addKeyValue("kernel_id", kernelId)
            .log("unfinished launch cleaned up: {} container(s) or service(s) removed", answer.getInteger("removed")))
        .onFailure(failure -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
            .log("what an unfinished launch created may remain: {}", failure.getMessage()))
        .<Void>mapEmpty().recover(failure -> Future.succeededFuture());
  }

  private Future<Void> compete(String kernelId, String from) {
    return owners.whileTakingOver(kernelId, () -> competeFor(kernelId, from));
  }

  private Future<Void> competeFor(String kernelId, String from) {
    return owners.takeOver(kernelId, from).compose(won -> {
      if (!won) {
        LOG.atDebug().addKeyValue("kernel_id", kernelId).addKeyValue("replica", from)
            .log("kernel of a departed replica is taken over by another replica");
        return Future.succeededFuture();
      }
      long started = System.currentTimeMillis();
      return owners.recordOf(kernelId).compose(record -> {
        if (record.isEmpty()) {
          return removeUnfinishedLaunch(kernelId, from).eventually(() -> owners.release(kernelId));
        }
        return JsonBus.request(vertx, Addresses.KERNEL_TAKE_OVER, new JsonObject().put("record", record.get()),
                KernelCommands.timeoutMillis(Addresses.KERNEL_TAKE_OVER))
            .compose(answer -> {
              if (answer.getBoolean("taken_over", false)) {
                LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("replica", from)
                    .log("kernel of a departed replica taken over in {} ms", System.currentTimeMillis() - started);
                return Future.succeededFuture();
              }
              return owners.release(kernelId);
            });
      });
    }).recover(failure -> {
      LOG.atError().addKeyValue("kernel_id", kernelId).addKeyValue("replica", from)
          .log("kernel of a departed replica not taken over: {}", failure.getMessage());
      return owners.release(kernelId);
    });
  }
}
