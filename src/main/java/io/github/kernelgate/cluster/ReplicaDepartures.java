package io.github.kernelgate.cluster;

import io.github.kernelgate.bus.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * What follows another replica's departure from the cluster (FailoverVerticle publishes it), and
 * the end of a wait for that replica's answer when it leaves. A request sent to
 * a replica that dies (or hangs) before answering is lost with it, and would otherwise wait for its
 * whole timeout (15 s): in the benchmark, a client reconnecting right as the owner was killed was
 * kept that long, where the kernel answered through a survivor within a second.
 */
public final class ReplicaDepartures {

  private ReplicaDepartures() {
  }

  /** Runs {@code departed} when {@code replica} leaves the cluster; unregister the answer to stop listening. */
  public static MessageConsumer<JsonObject> onDeparture(Vertx vertx, String replica, Runnable departed) {
    return vertx.eventBus().localConsumer(Addresses.REPLICA_LEFT, left -> {
      if (replica.equals(left.body().getString("instance"))) {
        departed.run();
      }
    });
  }

  /** {@code answer}, or a 503 naming the departure ({@link KernelOwners#ownerLeft}) if {@code replica} leaves first. */
  public static <T> Future<T> answerUnlessItLeaves(Vertx vertx, String replica, Future<T> answer) {
    Promise<T> outcome = Promise.promise();
    MessageConsumer<JsonObject> departure = onDeparture(vertx, replica, () -> outcome.tryFail(KernelOwners.ownerLeft(replica)));
    answer.onComplete(outcome::tryComplete, outcome::tryFail);
    return outcome.future().onComplete(done -> departure.unregister());
  }
}
