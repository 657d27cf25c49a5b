package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interrupt, restart, death and shutdown of real ipykernel processes, as clients and REST see them.
 * Automatic restarts are off here, so that a death stays visible (AutoRestartIT has them on).
 */
class LifecycleIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.HEARTBEAT_INTERVAL, 1).with(Setting.AUTO_RESTART, false));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  @Test
  void interruptStopsASleepAndKeepsEarlierVariables() {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      client.execute("kept = 41");
      KernelClient.Execution interrupted = client.interruptSleep(http, kernelId);
      assertThat(interrupted.status()).isEqualTo("error");
      assertThat(interrupted.first("error").getJsonObject("content").getString("ename")).isEqualTo("KeyboardInterrupt");
      assertThat(client.execute("kept + 1").result()).isEqualTo("42");
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void interruptByMessageWorksForSpecsThatAskForIt() {
    String kernelId = http.startKernel("python3_message", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.interruptSleep(http, kernelId).status()).isEqualTo("error");
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  /** Verifies a requested restart as Jupyter Server does it: same socket, fresh process, and no "restarting" status. */
  @Test
  void restartLosesVariablesButKeepsTheSocket() {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      String pidBefore = client.execute("import os\nlost = 1\nos.getpid()").result();
      Http.Response restarted = http.post("/api/kernels/" + kernelId + "/restart", "");
      assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
      assertThat(restarted.json().getString("id")).isEqualTo(kernelId);
      KernelClient.Execution after = client.execute("lost");
      assertThat(after.status()).isEqualTo("error");
      assertThat(after.first("error").getJsonObject("content").getString("ename")).isEqualTo("NameError");
      assertThat(client.executeAfterAnError("import os\nos.getpid()").result()).isNotEqualTo(pidBefore);
      assertThat(client.isClosed()).isFalse();
      // The 200 came after the restart and two cells ran since: a "restarting" would have arrived.
      assertThat(client.received()).noneMatch(message -> KernelClient.isStatus(message, "restarting"));
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void killedKernelIsReportedDeadToClientsAndRest() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      String pid = client.execute("import os\nos.getpid()").result();
      Process kill = new ProcessBuilder("kill", "-9", pid).start();
      assertThat(kill.waitFor()).isZero();
      client.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(10));
      JsonObject model = http.get("/api/kernels/" + kernelId).json();
      assertThat(model.getString("execution_state")).isEqualTo("dead");
      assertThat(model.getString("reason")).contains("exited");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  /** Verifies that a client connecting to a kernel that is already dead is told so at once, in both framings. */
  @Test
  void aClientOfADeadKernelIsToldAtOnce() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try {
      try (KernelClient client = gateway.connect(kernelId)) {
        String pid = client.execute("import os\nos.getpid()").result();
        assertThat(new ProcessBuilder("kill", "-9", pid).start().waitFor()).isZero();
        client.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(10));
      }
      try (KernelClient late = gateway.connect(kernelId); KernelClient lateV1 = gateway.connectV1(kernelId)) {
        late.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(10));
        lateV1.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(10));
      }
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  @Test
  void deadKernelCanBeRestarted() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      String pid = client.execute("import os\nos.getpid()").result();
      new ProcessBuilder("kill", "-9", pid).start().waitFor();
      client.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(10));
      assertThat(http.post("/api/kernels/" + kernelId + "/restart", "").status()).isEqualTo(200);
      assertThat(client.execute("'alive again'").result()).isEqualTo("'alive again'");
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  /** Verifies that a DELETE during a local start answers the start with 410 and leaves no process behind. */
  @Test
  void deleteDuringALocalStartLeavesNothing() throws Exception {
    String kernelId = java.util.UUID.randomUUID().toString();
    java.util.concurrent.CompletableFuture<Http.Response> started = http.startInBackground("python3", kernelId,
        new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER));
    int deleted = http.delete("/api/kernels/" + kernelId).status();
    Http.Response answer = started.get(60, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(answer.status()).as(answer.body()).isIn(201, 410);
    assertThat(deleted).isIn(204, 404);
    assertThat(http.get("/api/kernels/" + kernelId).status()).isEqualTo(404);
    assertThat(ProcessHandle.allProcesses().filter(process -> process.info().commandLine().orElse("").contains(kernelId)))
        .as("no kernel process of it").isEmpty();
  }

  @Test
  void shutdownStopsTheProcessAndClosesSockets() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    KernelClient client = gateway.connect(kernelId);
    long pid = Long.parseLong(client.execute("import os\nos.getpid()").result());
    assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(client.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1000);
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void kernelEnvironmentIsBuiltFromSpecAndClientNeverFromTheGateway() {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python3_message")
        .put("env", new JsonObject().put("KERNEL_USERNAME", "envuser").put("KERNEL_EXTRA", "x y z").put("NOT_ALLOWED", "dropped")).encode());
    String kernelId = started.json().getString("id");
    try (KernelClient client = gateway.connect(kernelId)) {
      String env = client.execute("import os, json\njson.dumps(dict(os.environ))").result();
      JsonObject seen = new JsonObject(env.substring(1, env.length() - 1).replace("\\\\", "\\"));
      assertThat(seen.getString("GREETING")).isEqualTo("hello envuser");
      assertThat(seen.getString("KERNEL_EXTRA")).isEqualTo("x y z");
      assertThat(seen.getString("KERNEL_ID")).isEqualTo(kernelId);
      assertThat(seen.getString("KERNEL_GATEWAY")).isEqualTo("1");
      assertThat(seen.containsKey("NOT_ALLOWED")).isFalse();
      assertThat(seen.containsKey("JAVA_HOME")).isFalse();
      assertThat(seen.fieldNames()).noneMatch(name -> name.startsWith("MAVEN") || name.startsWith("EG_"));
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void idleKernelsAreCulled() throws Exception {
    try (RunningGateway culling = RunningGateway.start(config -> config.with(Setting.CULL_IDLE_TIMEOUT, 2).with(Setting.CULL_INTERVAL, 1))) {
      Http cullHttp = culling.http();
      String kernelId = cullHttp.startKernel("python3", RunningGateway.USER);
      long deadline = System.currentTimeMillis() + 20_000;
      while (cullHttp.get("/api/kernels/" + kernelId).status() == 200 && System.currentTimeMillis() < deadline) {
        Thread.sleep(250);
      }
      assertThat(cullHttp.get("/api/kernels/" + kernelId).status()).isEqualTo(404);
    }
  }

  @Test
  void connectedKernelsAreNotCulledUnlessConfigured() throws Exception {
    try (RunningGateway culling = RunningGateway.start(config -> config.with(Setting.CULL_IDLE_TIMEOUT, 1).with(Setting.CULL_INTERVAL, 1))) {
      Http cullHttp = culling.http();
      String kernelId = cullHttp.startKernel("python3", RunningGateway.USER);
      try (KernelClient client = culling.connect(kernelId)) {
        Thread.sleep(4_000);
        assertThat(cullHttp.get("/api/kernels/" + kernelId).status()).isEqualTo(200);
      }
      cullHttp.delete("/api/kernels/" + kernelId);
    }
  }
}
