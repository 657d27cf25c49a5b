package io.github.kernelgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A kernel counts as being taken over from the start of its takeover until it ends, however it
 * ends: a request meanwhile hears 503 "being taken over" instead of 404.
 */
class KernelOwnersTest {

  private final Vertx vertx = Vertx.vertx();
  private final KernelOwners owners = new KernelOwners(vertx, Replica.starting("kg-a"));

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void aKernelIsBeingTakenOverUntilItsTakeoverEnds() {
    Promise<Boolean> registered = Promise.promise();
    Future<Boolean> takeover = owners.whileTakingOver("k1", registered::future);
    assertThat(owners.isBeingTakenOver("k1")).isTrue();
    assertThat(owners.isBeingTakenOver("k2")).isFalse();
    registered.complete(true);
    assertThat(takeover.succeeded()).isTrue();
    assertThat(owners.isBeingTakenOver("k1")).isFalse();
  }

  @Test
  void aFailedOrThrowingTakeoverEndsToo() {
    Promise<Void> failing = Promise.promise();
    owners.whileTakingOver("k1", failing::future);
    failing.fail("the kernel did not answer");
    assertThat(owners.isBeingTakenOver("k1")).isFalse();

    Future<Void> thrown = owners.whileTakingOver("k2", () -> {
      throw new IllegalStateException("record unreadable");
    });
    assertThat(thrown.failed()).isTrue();
    assertThat(owners.isBeingTakenOver("k2")).isFalse();
  }

  @Test
  void theAnswerMeanwhileIsARetryable503() {
    GatewayException answer = KernelOwners.beingTakenOver("k1");
    assertThat(answer.status()).isEqualTo(503);
    assertThat(answer.getMessage()).contains("k1").contains("is being taken over");
  }
}
