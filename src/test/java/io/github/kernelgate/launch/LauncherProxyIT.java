package io.github.kernelgate.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kernels started through KernelGate's real launcher as local processes: the EG handshake,
 * the comm port for interrupts and shutdown, and launch failures that leave nothing behind.
 */
class LauncherProxyIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start();
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static long processesMatching(String commandPart) {
    return ProcessHandle.allProcesses()
        .filter(process -> process.info().commandLine().map(line -> line.contains(commandPart)).orElse(false)).count();
  }

  @Test
  void kernelConnectsBackRunsCodeAndIsInterruptedThroughTheCommPort() {
    String kernelId = http.startKernel("launcher_python", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.execute("import os\nkept = 'still here'\nos.environ['KERNEL_ID']").result()).isEqualTo("'" + kernelId + "'");
      KernelClient.Execution interrupted = client.interruptSleep(http, kernelId);
      assertThat(interrupted.first("error").getJsonObject("content").getString("ename")).isEqualTo("KeyboardInterrupt");
      assertThat(client.execute("kept").result()).isEqualTo("'still here'");
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void restartRelaunchesThroughTheHandshakeAndShutdownLeavesNoLauncher() throws Exception {
    String kernelId = http.startKernel("launcher_python", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      // Several restarts in a row: the old launcher's exit must never be taken for the new one's.
      for (int restart = 0; restart < 3; restart++) {
        client.execute("lost = 1");
        assertThat(http.post("/api/kernels/" + kernelId + "/restart", "").status()).isEqualTo(200);
        assertThat(client.execute("lost").status()).isEqualTo("error");
        assertThat(client.executeAfterAnError("2 + 2").result()).isEqualTo("4");
      }
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    long deadline = System.currentTimeMillis() + 10_000;
    while (processesMatching(kernelId) > 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
    }
    assertThat(processesMatching("kernel-" + kernelId)).isZero();
  }

  @Test
  void launcherThatNeverCallsBackTimesOutAndIsRemoved() throws Exception {
    Http.Response response = http.post("/api/kernels", new JsonObject().put("name", "launcher_no_payload")
        .put("env", new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_LAUNCH_TIMEOUT", "2")).encode());
    assertThat(response.status()).isEqualTo(500);
    JsonObject error = response.json();
    assertThat(error.getString("reason")).contains("launch timeout").contains("no connection info");
    Thread.sleep(500);
    assertThat(processesMatching("sleep 607")).isZero();
    assertThat(http.get("/api/kernels").jsonArray().size()).isZero();
  }

  @Test
  void launcherThatFailsReportsWhyAtOnce() {
    long started = System.currentTimeMillis();
    Http.Response response = http.post("/api/kernels", new JsonObject().put("name", "launcher_exits")
        .put("env", new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER)).encode());
    assertThat(response.status()).isEqualTo(500);
    assertThat(response.json().getString("reason")).contains("exited with code 4").contains("launcher is broken");
    assertThat(System.currentTimeMillis() - started).as("no wait for the launch timeout").isLessThan(20_000);
  }
}
