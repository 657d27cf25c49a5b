package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DockerProcessProxy (EG's class name) with the gateway on the host and kernels as containers on
 * the default bridge network: names, labels and env checked through the Docker API, the whole
 * lifecycle, death from Docker events, and refusals that create nothing.
 */
class DockerProxyIT {

  /** This run's users: containers are named {@code <user>-<kernel id>}, so the test finds only its own. */
  private static final String RUN = "dpit" + Long.toHexString(System.nanoTime() & 0xffffff);
  private static final String ALICE = RUN + "-alice";
  private static final String BOB = RUN + "-bob";
  private static final String DAVE = RUN + "-dave";
  private static final String ERIN = RUN + "-erin";
  private static RunningGateway gateway;
  private static Http http;

  /** This run's kernel containers (another gateway may run kernels on the same engine). */
  private static String ownContainers() {
    return DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output();
  }

  @BeforeAll
  static void startGateway() {
    String bridge = DockerCli.bridgeGateway();
    gateway = RunningGateway.start(config -> config.with(Setting.RESPONSE_IP, bridge).with(Setting.RESPONSE_ADDR_ANY, true)
        .with(Setting.DOCKER_NETWORK, "bridge"));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
    assertThat(ownContainers()).as("no kernel container left").isEmpty();
  }

  private static String start(String user) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python_container")
        .put("env", new JsonObject().put("KERNEL_USERNAME", user).put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().getString("id");
  }

  private static JsonObject inspect(String name) {
    return new JsonArray(DockerCli.run("inspect", name).output()).getJsonObject(0);
  }

  @Test
  void containerHasEgNameLabelsAndEnvAndIsRemovedAtShutdown() {
    String kernelId = start(ALICE);
    String name = ALICE + "-" + kernelId;
    JsonObject container = inspect(name);
    JsonObject config = container.getJsonObject("Config");
    assertThat(config.getString("Hostname")).isEqualTo(name);
    assertThat(config.getJsonObject("Labels").getMap()).containsEntry("kernel_id", kernelId)
        .containsEntry("component", "kernel").containsEntry("app", "enterprise-gateway");
    assertThat(config.getString("User")).isEqualTo("1000");
    assertThat(config.getJsonArray("Env").getList()).contains("KERNEL_ID=" + kernelId, "KERNEL_USERNAME=" + ALICE, "KERNEL_GATEWAY=1",
        "KERNEL_LANGUAGE=python", "EG_DOCKER_MODE=docker", "EG_DOCKER_NETWORK=bridge", "KERNEL_UID=1000", "KERNEL_GID=100");
    assertThat(config.getJsonArray("Env").getList()).anyMatch(entry -> ((String) entry).startsWith("RESPONSE_ADDRESS="))
        .anyMatch(entry -> ((String) entry).startsWith("PUBLIC_KEY=")).anyMatch(entry -> ((String) entry).startsWith("PORT_RANGE="))
        .noneMatch(entry -> ((String) entry).startsWith("JAVA_HOME=") || ((String) entry).startsWith("EG_AUTH_TOKEN="));
    assertThat(container.getJsonObject("HostConfig").getString("NetworkMode")).isEqualTo("bridge");

    assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + name).output()).isEmpty();
  }

  @Test
  void kernelExecutesIsInterruptedAndRestartsInANewContainer() {
    String kernelId = start(BOB);
    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.execute("import socket\nsocket.gethostname()").result()).isEqualTo("'" + BOB + "-" + kernelId + "'");
      client.execute("kept = 1");
      assertThat(client.interruptSleep(http, kernelId).status()).isEqualTo("error");
      assertThat(client.execute("kept + 1").result()).isEqualTo("2");
      String before = inspect(BOB + "-" + kernelId).getString("Id");
      assertThat(http.post("/api/kernels/" + kernelId + "/restart", "").status()).isEqualTo(200);
      assertThat(client.execute("'kept' in dir()").result()).isEqualTo("False");
      assertThat(inspect(BOB + "-" + kernelId).getString("Id")).isNotEqualTo(before);
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  /** Verifies that a container killed from outside is seen at once and restarted: the client keeps its socket and goes on. */
  @Test
  void containerKilledFromOutsideIsRestartedAtOnce() {
    String kernelId = start(RUN + "-carol");
    try (KernelClient client = gateway.connect(kernelId)) {
      client.execute("lost = 1");
      long killed = System.currentTimeMillis();
      assertThat(DockerCli.run("kill", RUN + "-carol-" + kernelId).ok()).isTrue();
      client.await(message -> KernelClient.isStatus(message, "restarting"), Duration.ofSeconds(10));
      System.out.println("death seen " + (System.currentTimeMillis() - killed) + " ms after docker kill");
      client.await(message -> client.isGatewayStatus(message, "starting"), Duration.ofSeconds(60));
      assertThat(client.execute("'lost' in dir()").result()).isEqualTo("False");
      assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isNotEqualTo("dead");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).isEmpty();
  }

  /**
   * Verifies that a DELETE at any point of a container start leaves nothing: the start answers
   * (201 if it finished first, else 410), the kernel is gone from the registry, and no container
   * of it remains. The delete comes at a different point of the start each round.
   */
  @Test
  void deleteDuringAContainerStartLeavesNothing() throws Exception {
    for (int round = 0; round < 5; round++) {
      String kernelId = java.util.UUID.randomUUID().toString();
      java.util.concurrent.CompletableFuture<Http.Response> started = http.startInBackground("python_container", kernelId,
          new JsonObject().put("KERNEL_USERNAME", RUN + "-frank").put("KERNEL_LAUNCH_TIMEOUT", "600"));
      // The scenario: the delete lands 0, 0.5, 1, 1.5, 2 s into the start. The launch timeout is far longer than the
      // client's 90 s: a delete that waited for the launch to give up instead of cancelling it would fail the test.
      Thread.sleep(500L * round);
      int deleted = http.delete("/api/kernels/" + kernelId).status();
      Http.Response answer = started.get(120, java.util.concurrent.TimeUnit.SECONDS);

      assertThat(answer.status()).as("round %d: %s", round, answer.body()).isIn(201, 410);
      assertThat(deleted).as("round %d", round).isIn(204, 404);
      assertThat(http.get("/api/kernels/" + kernelId).status()).as("round %d: gone from the registry", round).isEqualTo(404);
      assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).as("round %d: no container", round).isEmpty();
    }
  }

  @Test
  void rootAndInvalidIdentitiesAreRefusedBeforeAnythingIsCreated() {
    for (String uid : new String[] {"0", " 0", "00", "+0"}) {
      Http.Response refused = http.post("/api/kernels", body("KERNEL_UID", uid));
      assertThat(refused.status()).as(uid).isEqualTo(403);
      assertThat(refused.json().getString("message")).contains("EG_PROHIBITED_UIDS");
    }
    assertThat(http.post("/api/kernels", body("KERNEL_UID", "4294967296")).json().getString("message")).contains("must be in range");
    assertThat(http.post("/api/kernels", body("KERNEL_GID", "abc")).json().getString("message")).contains("not a valid integer");
    assertThat(ownContainers()).isEmpty();
  }

  @Test
  void missingImageIsNamedInTheError() {
    Http.Response failed = http.post("/api/kernels", body("KERNEL_IMAGE", "kernelgate/no-such-image:1"));
    assertThat(failed.status()).as("the client named the image: a client error").isEqualTo(400);
    assertThat(failed.json().getString("message")).contains("kernelgate/no-such-image:1");
    Http.Response invalid = http.post("/api/kernels", body("KERNEL_IMAGE", "registry:5000/img:tag"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(ownContainers()).isEmpty();
  }

  @Test
  void rejectedSwarmTaskAnswersDockersReasonAndRemovesTheService() {
    Http.Response failed = http.post("/api/kernels", new JsonObject().put("name", "python_docker")
        .put("env", new JsonObject().put("KERNEL_USERNAME", ERIN).put("KERNEL_IMAGE", "kernelgate/absent:1")).encode());
    assertThat(failed.status()).isEqualTo(500);
    assertThat(failed.json().getString("message")).contains("rejected").contains("kernelgate/absent:1");
    assertThat(DockerCli.run("service", "ls", "-q", "--filter", "name=" + RUN).output()).isEmpty();
  }

  /** Verifies that this instance's unknown kernel containers are removed at start when configured, and another gateway's are not. */
  @Test
  void unknownKernelContainersOfThisInstanceAreRemovedAtStartWhenConfigured() throws Exception {
    String instance = RUN + "-cleaner";
    String orphan = kernelLikeContainer(instance);
    String foreign = kernelLikeContainer(RUN + "-another-gateway");
    try (RunningGateway cleaning = RunningGateway.start(config -> config.with(Setting.REMOVE_ORPHANS, true).with(Setting.INSTANCE_ID, instance))) {
      long deadline = System.currentTimeMillis() + 20_000;
      while (!DockerCli.run("ps", "-aq", "--filter", "id=" + orphan).output().isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(200);
      }
      assertThat(DockerCli.run("ps", "-aq", "--filter", "id=" + orphan).output()).isEmpty();
      assertThat(DockerCli.run("ps", "-aq", "--filter", "id=" + foreign).output()).as("the same sweep left another instance's kernel").isNotEmpty();
    } finally {
      DockerCli.run("rm", "-f", orphan);
      DockerCli.run("rm", "-f", foreign);
    }
  }

  private static String kernelLikeContainer(String instance) {
    return DockerCli.run("run", "-d", "--label", "app=enterprise-gateway", "--label", "component=kernel",
        "--label", "kernel_id=orphan", "--label", "kernelgate.instance=" + instance, "--label", DockerCli.TEST_LABEL,
        "kernelgate/kernel-py:dev", "sleep", "600").output();
  }

  private static String body(String key, String value) {
    return new JsonObject().put("name", "python_container")
        .put("env", new JsonObject().put("KERNEL_USERNAME", DAVE).put(key, value)).encode();
  }
}
