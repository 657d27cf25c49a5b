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

/** A kernel that dies on its own is restarted, as Jupyter Server does, up to a limit of restarts in a row. */
class AutoRestartIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int LIMIT = 2;

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.AUTO_RESTART_LIMIT, LIMIT));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static void kill(KernelClient client) throws Exception {
    String pid = client.execute("import os\nos.getpid()").result();
    assertThat(new ProcessBuilder("kill", "-9", pid).start().waitFor()).isZero();
  }

  /** Verifies restarting, then starting, on the same socket, and a fresh kernel that runs code. */
  @Test
  void aKilledKernelIsRestartedAndClientsKeepTheirSocket() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId); KernelClient v1 = gateway.connectV1(kernelId)) {
      client.execute("lost = 1");
      kill(client);
      for (KernelClient each : new KernelClient[] {client, v1}) {
        each.await(message -> each.isGatewayStatus(message, "restarting"), WAIT);
        each.await(message -> each.isGatewayStatus(message, "starting"), WAIT);
      }
      assertThat(client.execute("'lost' in dir()").result()).isEqualTo("False");
      assertThat(v1.execute("6 * 7").result()).isEqualTo("42");
      assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isIn("idle", "busy");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  /** Verifies that a kernel dying again and again right after its restarts is given up after the limit: dead. */
  @Test
  void pastTheLimitInARowTheKernelIsDead() throws Exception {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      for (int restart = 1; restart <= LIMIT; restart++) {
        int seen = restart;
        kill(client);
        // The gateway's "starting" of this restart (the n-th one on this socket; the kernel's own boot status does not count).
        client.await(message -> client.received().stream().filter(m -> client.isGatewayStatus(m, "starting")).count() >= seen, WAIT);
      }
      kill(client);
      client.await(message -> KernelClient.isStatus(message, "dead"), WAIT);
      JsonObject model = http.get("/api/kernels/" + kernelId).json();
      assertThat(model.getString("execution_state")).isEqualTo("dead");
      assertThat(model.getString("reason")).contains("automatic restarts in a row");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }
}
