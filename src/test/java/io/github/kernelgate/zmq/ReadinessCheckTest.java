package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The readiness rule with scripted replies (a real kernel cannot be told to withhold its iopub
 * messages): ready needs both a kernel_info reply and an iopub message, nudges repeat while the
 * kernel is silent, and silence past the timeout is a 504.
 */
class ReadinessCheckTest {

  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  /** One promise per kernel_info request sent, completed when the test "replies". */
  private final List<Promise<Void>> nudges = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private ReadinessCheck start(long timeoutMillis) throws Exception {
    CompletableFuture<ReadinessCheck> started = new CompletableFuture<>();
    context.runOnContext(v -> started.complete(new ReadinessCheck(vertx, timeoutMillis, () -> {
      Promise<Void> reply = Promise.promise();
      nudges.add(reply);
      return reply.future();
    })));
    return started.get(5, TimeUnit.SECONDS);
  }

  private void onContext(Runnable action) throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      action.run();
      done.complete(null);
    });
    done.get(5, TimeUnit.SECONDS);
  }

  @Test
  void readyOnlyOnceBothTheReplyAndAnIopubMessageArrived() throws Exception {
    ReadinessCheck check = start(30_000);
    assertThat(nudges).hasSize(1);
    onContext(() -> nudges.get(0).complete());
    assertThat(check.outcome().isComplete()).as("reply alone is not enough").isFalse();
    onContext(check::iopubArrived);
    assertThat(check.outcome().succeeded()).isTrue();
  }

  @Test
  void nudgesRepeatWhileTheKernelIsSilentAndALateReplyCounts() throws Exception {
    ReadinessCheck check = start(30_000);
    onContext(check::iopubArrived);
    Thread.sleep(ReadinessCheck.NUDGE_INTERVAL_MILLIS * 2 + 200);
    assertThat(nudges.size()).isGreaterThanOrEqualTo(3);
    onContext(() -> nudges.get(nudges.size() - 1).complete());
    assertThat(check.outcome().succeeded()).isTrue();
    int sent = nudges.size();
    Thread.sleep(ReadinessCheck.NUDGE_INTERVAL_MILLIS + 200);
    assertThat(nudges).as("no nudge after readiness").hasSize(sent);
  }

  @Test
  void onceTheKernelAnswersWithoutIopubNudgesComeAtTheShortInterval() throws Exception {
    ReadinessCheck check = start(30_000);
    onContext(() -> nudges.get(0).complete());
    // Well under the 500 ms interval: only the short one can have sent these.
    Thread.sleep(ReadinessCheck.UP_NUDGE_INTERVAL_MILLIS * 4);
    assertThat(nudges.size()).isGreaterThanOrEqualTo(3);
    onContext(check::iopubArrived);
    assertThat(check.outcome().succeeded()).isTrue();
  }

  @Test
  void silencePastTheTimeoutIsA504() throws Exception {
    ReadinessCheck check = start(300);
    Throwable failure = check.outcome().toCompletionStage().toCompletableFuture()
        .handle((ready, error) -> error).get(5, TimeUnit.SECONDS);
    assertThat(failure).isInstanceOf(GatewayException.class).hasMessageContaining("no kernel_info reply within 0.3 s");
    assertThat(((GatewayException) failure).status()).isEqualTo(504);
  }
}
