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
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 2, 60_000, 120_000));
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
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 60_000, 120_000));
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
  void aLaunchWaitingInAStalledQueueIsRefusedWith503AndRetryAfter() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 200, 60_000));
    onLoop(() -> admission.admit("holder"));
    Future<Void> waiting = onLoop(() -> admission.admit("late"));
    GatewayException error = refusal(waiting);
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.retryAfterSeconds()).isEqualTo(LaunchAdmission.RETRY_AFTER_SECONDS);
    assertThat(error.getMessage()).contains("Too many kernels are starting").contains("has ended for 200 ms");
    assertThat(onLoop(admission::queued)).isZero();
    assertThat(onLoop(admission::inProgress)).isEqualTo(1);
  }

  /**
   * The last of three waits twice the stall limit, but the queue moves in between, so it begins.
   * The releases are timers set up front on the admission's event loop: however late the loop
   * runs them, a release due before a deadline runs before it.
   */
  @Test
  void aMovingQueueIsWaitedOnPastTheStallLimit() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 3_000, 60_000));
    List<Future<Void>> launches = onLoop(() -> {
      List<Future<Void>> admitted = List.of(admission.admit("holder"), admission.admit("second"), admission.admit("third"));
      vertx.setTimer(2_000, tick -> admission.release());
      vertx.setTimer(4_000, tick -> admission.release());
      return admitted;
    });
    Future.all(launches).await(30, TimeUnit.SECONDS);
    assertThat(launches).allMatch(Future::succeeded);
    assertThat(onLoop(admission::queued)).isZero();
  }

  /** A queue that moves, but too slowly for the last launch: it is refused at the longest wait. */
  @Test
  void noLaunchWaitsLongerThanTheLongestWait() throws Exception {
    LaunchAdmission admission = onLoop(() -> new LaunchAdmission(vertx, 1, 1_000, 1_500));
    Future<Void> third = onLoop(() -> {
      admission.admit("holder");
      admission.admit("second");
      Future<Void> last = admission.admit("third");
      vertx.setTimer(800, tick -> admission.release());
      return last;
    });
    GatewayException error = refusal(third);
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.getMessage()).contains("the longest a start waits");
    assertThat(onLoop(admission::inProgress)).as("the second began when the holder ended").isEqualTo(1);
    assertThat(onLoop(admission::queued)).isZero();
  }

  private static GatewayException refusal(Future<Void> launch) throws Exception {
    Throwable refused = launch.transform(done -> Future.succeededFuture(done.cause())).await(30, TimeUnit.SECONDS);
    assertThat(refused).isInstanceOf(GatewayException.class);
    return (GatewayException) refused;
  }
}
