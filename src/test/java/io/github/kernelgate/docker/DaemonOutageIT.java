package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.DockerSocketRelay;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.github.kernelgate.bus.Addresses;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Docker daemon going away in the middle of a launch (a relay in front of the real socket is
 * cut): the launch answers 503 JSON, the gateway keeps serving, the half-created container is
 * removed once the daemon is back, and container kernels work again.
 */
class DaemonOutageIT {

  /** This run's users: its containers are named {@code <user>-<kernel id>} (another gateway may share the engine). */
  private static final String RUN = "outit" + Long.toHexString(System.nanoTime() & 0xffffff);

  @Test
  void launchDuringAnOutageAnswers503AndLeavesNothingOnceTheDaemonIsBack() throws Exception {
    Path socket = Path.of("/tmp/kernelgate-relay-" + ProcessHandle.current().pid() + ".sock");
    try (DockerSocketRelay relay = new DockerSocketRelay(socket, "/start")) {
      relay.start();
      String bridge = DockerCli.bridgeGateway();
      try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.DOCKER_HOST, relay.dockerHost())
          .with(Setting.RESPONSE_IP, bridge).with(Setting.RESPONSE_ADDR_ANY, true))) {
        Http http = gateway.http();
        String body = new JsonObject().put("name", "python_container")
            .put("env", new JsonObject().put("KERNEL_USERNAME", RUN + "-outage")).encode();

        CompletableFuture<Http.Response> launch = CompletableFuture.supplyAsync(() -> http.post("/api/kernels", body));
        String created = awaitContainer();
        relay.stop();
        Http.Response refused = launch.get(60, TimeUnit.SECONDS);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().getString("message")).contains("Docker daemon unreachable");

        assertThat(http.get("/api").status()).as("the gateway keeps serving").isEqualTo(200);
        assertThat(http.post("/api/kernels", body).status()).as("no daemon: 503 at once").isEqualTo(503);
        String local = http.startKernel("python3", RunningGateway.USER);
        assertThat(http.delete("/api/kernels/" + local).status()).isEqualTo(204);
        assertThat(DockerCli.run("ps", "-aq", "--filter", "id=" + created).output()).as("still there while Docker is away").isNotEmpty();

        relay.start();
        long deadline = System.currentTimeMillis() + 20_000;
        while (!DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().isEmpty()
            && System.currentTimeMillis() < deadline) {
          Thread.sleep(250);
        }
        assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output()).as("no orphan").isEmpty();

        String kernelId = http.startKernel("python_container", RUN + "-recovered");
        try (KernelClient client = gateway.connect(kernelId)) {
          assertThat(client.execute("'back'").result()).isEqualTo("'back'");
        }
        assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
      }
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output()).isEmpty();
  }

  /**
   * Verifies that a kernel whose container dies while Docker is unreachable (its die event goes
   * to nobody) is reported dead once Docker is back, and its container removed.
   */
  @Test
  void aKernelThatDiesDuringAnOutageIsReportedOnceDockerIsBack() throws Exception {
    Path socket = Path.of("/tmp/kernelgate-relay-death-" + ProcessHandle.current().pid() + ".sock");
    try (DockerSocketRelay relay = new DockerSocketRelay(socket, null)) {
      relay.start();
      String bridge = DockerCli.bridgeGateway();
      try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.DOCKER_HOST, relay.dockerHost())
          .with(Setting.RESPONSE_IP, bridge).with(Setting.RESPONSE_ADDR_ANY, true).with(Setting.HEARTBEAT_INTERVAL, 1)
          // The death itself is under test here, not what follows it.
          .with(Setting.AUTO_RESTART, false))) {
        Http http = gateway.http();
        CompletableFuture<Void> inspectFailed = whenAnInspectFails(gateway);
        String user = RUN + "-dies";
        String kernelId = http.startKernel("python_container", user);
        try (KernelClient client = gateway.connect(kernelId)) {
          assertThat(client.execute("'alive'").result()).isEqualTo("'alive'");
          relay.stop();
          assertThat(DockerCli.run("kill", user + "-" + kernelId).ok()).as("killed behind the gateway's back").isTrue();
          // Its heartbeat stops too, and the liveness check that follows cannot reach Docker: it must be retried, not dropped.
          inspectFailed.get(60, TimeUnit.SECONDS);
          relay.start();
          client.await(message -> KernelClient.isStatus(message, "dead"), Duration.ofSeconds(60));
          assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isEqualTo("dead");
        } finally {
          assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
        }
        assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + user).output()).as("its container is removed").isEmpty();
      }
    }
  }

  /** Completes once a container inspection (what a liveness check asks Docker) fails, seen on the gateway's bus. */
  private static CompletableFuture<Void> whenAnInspectFails(RunningGateway gateway) {
    CompletableFuture<Void> failed = new CompletableFuture<>();
    Set<String> replyAddresses = ConcurrentHashMap.newKeySet();
    gateway.vertx().eventBus().addInboundInterceptor(delivery -> {
      Message<?> message = delivery.message();
      if (Addresses.DOCKER_INSPECT_CONTAINER.equals(message.address()) && message.replyAddress() != null) {
        replyAddresses.add(message.replyAddress());
      } else if (replyAddresses.contains(message.address()) && message.body() instanceof ReplyException) {
        failed.complete(null);
      }
      delivery.next();
    });
    return failed;
  }

  private static String awaitContainer() throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline) {
      String id = DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output();
      if (!id.isEmpty()) {
        return id;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the launch created no container");
  }
}
