package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Verifies admission control: the limit, arrival order, cancellation and the queue's time limit. */
class LaunchAdmissionTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context loop = vertx.getOrCreateContext();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /** Runs {@code action} on the one event loop the admission belongs to, as the lifecycle verticle does. */
  private <T> T onLoop(Supplier<T> action) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    loop.runOnContext(v -> result.complete(action.get()));
    return result.get(10, TimeUnit.SECONDS);
  }

  @Test
  void launchesBeyondTheLimitWaitAndBeginInArrivalOrder() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 2, 60_000));
    List<Future<Void>> launches = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String id = "k" + i;
      launches.add(onLoop(() -> admission.admit(id)));
    }
    assertThat(launches).extracting(Future::succeeded).containsExactly(true, true, false, false, false);
    assertThat(onLoop(admission::queued)).isEqualTo(3);
    onLoop(() -> {
      admission.release();
      return null;
    });
    assertThat(launches).extracting(Future::succeeded).containsExactly(true, true, true, false, false);
    assertThat(onLoop(admission::inProgress)).isEqualTo(2);
    onLoop(() -> {
      admission.release();
      admission.release();
      return null;
    });
    assertThat(launches).allMatch(Future::succeeded);
    assertThat(onLoop(admission::queued)).isZero();
  }

  @Test
  void aCancelledLaunchLeavesTheQueueAndNeverBegins() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 60_000));
    onLoop(() -> admission.admit("first"));
    Future<Void> waiting = onLoop(() -> admission.admit("second"));
    Future<Void> third = onLoop(() -> admission.admit("third"));
    assertThat(onLoop(() -> admission.cancel("second"))).isTrue();
    assertThat(waiting.failed()).isTrue();
    assertThat(((GatewayException) waiting.cause()).status()).isEqualTo(410);
    onLoop(() -> {
      admission.release();
      return null;
    });
    assertThat(third.succeeded()).isTrue();
    assertThat(onLoop(() -> admission.cancel("nobody"))).isFalse();
  }

  @Test
  void aLaunchThatWaitsTooLongIsRefusedWith503AndRetryAfter() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 200));
    onLoop(() -> admission.admit("holder"));
    Future<Void> waiting = onLoop(() -> admission.admit("late"));
    Throwable refused = waiting.transform(done -> Future.succeededFuture(done.cause())).await(10, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(GatewayException.class);
    GatewayException error = (GatewayException) refused;
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.retryAfterSeconds()).isEqualTo(LaunchAdmission.RETRY_AFTER_SECONDS);
    assertThat(error.getMessage()).contains("Too many kernels are starting");
    assertThat(onLoop(admission::queued)).isZero();
    assertThat(onLoop(admission::inProgress)).isEqualTo(1);
  }
}
