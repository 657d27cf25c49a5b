package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Admission control with real kernels: bursts beyond the limit, the queue's time limit, deletes of queued starts. */
class AdmissionIT {

  private static CompletableFuture<Http.Response> startAsync(Http http, String name, String kernelId, String launchTimeout) {
    JsonObject env = new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_ID", kernelId);
    if (launchTimeout != null) {
      env.put("KERNEL_LAUNCH_TIMEOUT", launchTimeout);
    }
    String body = new JsonObject().put("name", name).put("env", env).encode();
    return CompletableFuture.supplyAsync(() -> http.post("/api/kernels", body));
  }

  /** Waits until the gateway lists the kernel (its start was registered). */
  private static void awaitListed(Http http, String kernelId) throws InterruptedException {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(30).toMillis();
    while (http.get("/api/kernels/" + kernelId).status() != 200) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("kernel " + kernelId + " never listed");
      }
      Thread.sleep(20);
    }
  }

  /** Verifies that a burst of starts three times the admission limit all succeed. */
  @Test
  void aBurstLargerThanTheLimitAllSucceeds() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.MAX_CONCURRENT_LAUNCHES, 2))) {
      Http http = gateway.http();
      List<String> ids = new ArrayList<>();
      List<CompletableFuture<Http.Response>> starts = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        starts.add(startAsync(http, "python3", id, "20"));
      }
      try {
        for (CompletableFuture<Http.Response> start : starts) {
          Http.Response response = start.get(120, TimeUnit.SECONDS);
          assertThat(response.status()).as(response.body()).isEqualTo(201);
        }
        assertThat(http.get("/api/kernels").jsonArray()).hasSize(6);
      } finally {
        ids.forEach(id -> http.delete("/api/kernels/" + id));
      }
    }
  }

  /** Verifies that a start that waits longer than the queue limit gets 503 with Retry-After and leaves nothing registered. */
  @Test
  void aStartThatWaitsTooLongIs503WithRetryAfter() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.MAX_CONCURRENT_LAUNCHES, 1)
        .with(Setting.LAUNCH_QUEUE_TIMEOUT, 1))) {
      Http http = gateway.http();
      String holder = UUID.randomUUID().toString();
      CompletableFuture<Http.Response> holding = startAsync(http, "never_answers", holder, "15");
      awaitListed(http, holder);
      String late = UUID.randomUUID().toString();
      Http.Response refused = startAsync(http, "python3", late, null).get(60, TimeUnit.SECONDS);
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("10");
      assertThat(refused.json().getString("message")).contains("Too many kernels are starting");
      assertThat(http.get("/api/kernels/" + late).status()).isEqualTo(404);
      assertThat(http.delete("/api/kernels/" + holder).status()).isEqualTo(204);
      holding.get(60, TimeUnit.SECONDS);
    }
  }

  /** Verifies that deleting a kernel whose start waits for its turn ends that start without launching anything. */
  @Test
  void deletingAQueuedStartCancelsIt() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.MAX_CONCURRENT_LAUNCHES, 1))) {
      Http http = gateway.http();
      String holder = UUID.randomUUID().toString();
      CompletableFuture<Http.Response> holding = startAsync(http, "never_answers", holder, "15");
      awaitListed(http, holder);
      String queued = UUID.randomUUID().toString();
      CompletableFuture<Http.Response> waiting = startAsync(http, "python3", queued, null);
      awaitListed(http, queued);
      assertThat(http.delete("/api/kernels/" + queued).status()).isEqualTo(204);
      Http.Response cancelled = waiting.get(60, TimeUnit.SECONDS);
      assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(410);
      assertThat(http.delete("/api/kernels/" + holder).status()).isEqualTo(204);
      holding.get(60, TimeUnit.SECONDS);
      assertThat(http.get("/api/kernels").jsonArray()).isEmpty();
    }
  }
}
