package io.github.kernelgate.cluster;

import io.github.kernelgate.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * Ends a wait for another replica's answer when that replica leaves the cluster. A request sent to
 * a replica that dies (or hangs) before answering is lost with it, and would otherwise wait for its
 * whole timeout (15 s): in the benchmark, a client reconnecting right as the owner was killed was
 * kept that long, where the kernel answered through a survivor within a second.
 */
public final class ReplicaDepartures {

  private ReplicaDepartures() {
  }

  /** {@code answer}, or a 503 naming the departure ({@link KernelOwners#ownerLeft}) if {@code replica} leaves first. */
  public static <T> Future<T> answerUnlessItLeaves(Vertx vertx, String replica, Future<T> answer) {
    Promise<T> outcome = Promise.promise();
    MessageConsumer<JsonObject> departures = vertx.eventBus().localConsumer(Addresses.REPLICA_LEFT, left -> {
      if (replica.equals(left.body().getString("instance"))) {
        outcome.tryFail(KernelOwners.ownerLeft(replica));
      }
    });
    answer.onComplete(outcome::tryComplete, outcome::tryFail);
    return outcome.future().onComplete(done -> departures.unregister());
  }
}
