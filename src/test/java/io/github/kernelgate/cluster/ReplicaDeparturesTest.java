package io.github.kernelgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A wait for another replica's answer ends with the replica's departure (a request to a dead
 * replica is never answered), and only with that replica's.
 */
class ReplicaDeparturesTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void theDepartureOfTheAskedReplicaEndsTheWait() throws Exception {
    Promise<String> neverAnswered = Promise.promise();
    Future<String> outcome = ReplicaDepartures.answerUnlessItLeaves(vertx, "kg-b", neverAnswered.future());
    departed("kg-c");
    departed("kg-b");
    Throwable failure = outcome.toCompletionStage().toCompletableFuture().handle((value, error) -> error).get(10, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(GatewayException.class);
    assertThat(((GatewayException) failure).status()).isEqualTo(503);
    assertThat(failure.getMessage()).contains("kg-b").contains("has left the cluster");
  }

  @Test
  void anAnswerBeforeAnyDepartureIsTheOutcome() throws Exception {
    Promise<String> answer = Promise.promise();
    Future<String> outcome = ReplicaDepartures.answerUnlessItLeaves(vertx, "kg-b", answer.future());
    departed("kg-c");
    answer.complete("served");
    assertThat(outcome.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("served");
    // Its departure afterwards changes nothing: the outcome is settled and the listener gone.
    departed("kg-b");
    assertThat(outcome.result()).isEqualTo("served");
  }

  private void departed(String replica) {
    vertx.eventBus().publish(Addresses.REPLICA_LEFT, new JsonObject().put("instance", replica));
  }
}
