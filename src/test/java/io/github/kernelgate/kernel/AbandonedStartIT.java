package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * A start whose client closes its connection before the answer (it gave up on a long launch
 * queue, say) leaves no kernel behind: queued, it never launches; launching, it is deleted.
 */
class AbandonedStartIT {

  /** Sends a start over a socket of its own and returns that socket, open: closing it is the client hanging up. */
  private static Socket startOnOwnSocket(RunningGateway gateway, String path, JsonObject body) throws Exception {
    return requestOnOwnSocket(gateway, "POST", path, body);
  }

  private static Socket requestOnOwnSocket(RunningGateway gateway, String method, String path, JsonObject body) throws Exception {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    byte[] json = body.encode().getBytes(StandardCharsets.UTF_8);
    OutputStream out = socket.getOutputStream();
    out.write((method + " " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: token " + gateway.token()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + json.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(json);
    out.flush();
    return socket;
  }

  private static JsonObject env(String kernelId) {
    return new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_ID", kernelId);
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      Thread.sleep(20);
    }
  }

  private static boolean noProcessOf(String kernelId) {
    return ProcessHandle.allProcesses().noneMatch(process -> process.info().commandLine().orElse("").contains(kernelId));
  }

  /** Verifies that a queued start whose client hangs up leaves the queue while the slot is still held, so it never launches. */
  @Test
  void aQueuedStartWhoseClientHangsUpNeverLaunches() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.MAX_CONCURRENT_LAUNCHES, 1))) {
      Http http = gateway.http();
      String holder = UUID.randomUUID().toString();
      CompletableFuture<Http.Response> holding = http.startInBackground("never_answers", holder, env(holder).put("KERNEL_LAUNCH_TIMEOUT", "30"));
      String queued = UUID.randomUUID().toString();
      try (Socket client = startOnOwnSocket(gateway, "/api/kernels", new JsonObject().put("name", "python3").put("env", env(queued)))) {
        await("the queued start is listed", () -> http.get("/api/kernels/" + queued).status() == 200);
      }
      await("the queued start is gone", () -> http.get("/api/kernels/" + queued).status() == 404);
      assertThat(http.get("/api/kernels/" + holder).status()).as("the holder still holds the only slot").isEqualTo(200);
      assertThat(http.delete("/api/kernels/" + holder).status()).isEqualTo(204);
      holding.get(60, TimeUnit.SECONDS);
      assertThat(http.get("/api/kernels").jsonArray()).isEmpty();
      assertThat(noProcessOf(queued)).isTrue();
    }
  }

  /** Verifies that a kernel whose start's client hangs up while it launches is deleted, process and all. */
  @Test
  void aLaunchingKernelWhoseClientHangsUpIsDeleted() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      Http http = gateway.http();
      String kernelId = UUID.randomUUID().toString();
      try (Socket client = startOnOwnSocket(gateway, "/api/kernels", new JsonObject().put("name", "python3").put("env", env(kernelId)))) {
        await("the start is listed", () -> http.get("/api/kernels/" + kernelId).status() == 200);
      }
      await("the kernel is deleted", () -> http.get("/api/kernels/" + kernelId).status() == 404);
      await("its process has ended", () -> noProcessOf(kernelId));
      assertThat(http.get("/api/kernels").jsonArray()).isEmpty();
    }
  }

  /** Verifies the same for a new session's kernel; a session for an existing kernel leaves that kernel alone. */
  @Test
  void aSessionStartWhoseClientHangsUpLeavesNoKernel() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      Http http = gateway.http();
      String kernelId = UUID.randomUUID().toString();
      JsonObject session = new JsonObject().put("path", "abandoned.ipynb").put("type", "notebook")
          .put("kernel", new JsonObject().put("name", "python3").put("env", env(kernelId)));
      try (Socket client = startOnOwnSocket(gateway, "/api/sessions", session)) {
        await("the session's kernel is listed", () -> http.get("/api/kernels/" + kernelId).status() == 200);
      }
      await("the kernel is deleted", () -> http.get("/api/kernels/" + kernelId).status() == 404);
      await("its process has ended", () -> noProcessOf(kernelId));
      assertThat(http.get("/api/sessions").jsonArray()).isEmpty();

      String existing = http.startKernel("python3", RunningGateway.USER);
      JsonObject joining = new JsonObject().put("path", "joining.ipynb").put("type", "notebook")
          .put("kernel", new JsonObject().put("id", existing));
      try (Socket client = startOnOwnSocket(gateway, "/api/sessions", joining)) {
        await("the session exists", () -> http.get("/api/sessions").jsonArray().size() == 1);
      }
      assertThat(http.get("/api/kernels/" + existing).status()).as("a session for an existing kernel is not a start").isEqualTo(200);
      assertThat(http.delete("/api/kernels/" + existing).status()).isEqualTo(204);
    }
  }

  /**
   * Verifies that a session switched to another kernel spec keeps its kernel when the client hangs
   * up while the new kernel launches: the new one is deleted, the old one is not shut down.
   */
  @Test
  void aSessionSwitchWhoseClientHangsUpKeepsTheSessionsKernel() throws Exception {
    // A switch names only the kernel spec, so its kernel runs as the gateway's user: let any user start kernels.
    // The launch timeout outlasts every wait here: only the hang-up can end the new kernel's launch.
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.UNAUTHORIZED_USERS, new JsonArray())
        .with(Setting.KERNEL_LAUNCH_TIMEOUT, 600))) {
      Http http = gateway.http();
      String kernelId = UUID.randomUUID().toString();
      JsonObject created = http.post("/api/sessions", new JsonObject().put("path", "switching.ipynb").put("type", "notebook")
          .put("kernel", new JsonObject().put("name", "python3").put("env", env(kernelId))).encode()).json();
      String sessionPath = "/api/sessions/" + created.getString("id");
      // never_answers launches until its launch timeout: the hang-up comes while it launches.
      JsonObject toNeverAnswers = new JsonObject().put("kernel", new JsonObject().put("name", "never_answers"));
      String launching;
      try (Socket client = requestOnOwnSocket(gateway, "PATCH", sessionPath, toNeverAnswers)) {
        await("the new kernel is listed", () -> http.get("/api/kernels").jsonArray().size() == 2);
        launching = http.get("/api/kernels").jsonArray().stream().map(kernel -> ((JsonObject) kernel).getString("id"))
            .filter(id -> !id.equals(kernelId)).findFirst().orElseThrow();
      }
      await("the new kernel is deleted", () -> http.get("/api/kernels/" + launching).status() == 404);
      await("its process has ended", () -> noProcessOf(launching));
      assertThat(http.get(sessionPath).json().getJsonObject("kernel").getString("id")).isEqualTo(kernelId);
      assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isNotEqualTo("dead");
      assertThat(http.get("/api/kernels").jsonArray()).hasSize(1);
      assertThat(http.delete(sessionPath).status()).isEqualTo(204);
    }
  }
}
