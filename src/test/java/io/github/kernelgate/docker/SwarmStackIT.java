package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.ContainerizedGateway;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Swarm mode end to end: the gateway deployed with {@code docker stack deploy -c swarm/stack.yml},
 * the test client on the host through the published port, kernels as swarm services
 * (DockerSwarmProcessProxy, the python_docker spec) on the stack's overlay network.
 */
class SwarmStackIT {

  /** This run's users: kernel services are named {@code <user>-<kernel id>} (another gateway may share the swarm). */
  private static final String RUN = "swit" + Long.toHexString(System.nanoTime() & 0xffffff);

  private static final String STACK = "kgit";
  private static final String STATE_VOLUME = STACK + "_state";
  private static ContainerizedGateway gateway;
  private static Http http;

  @BeforeAll
  static void deployStack() throws Exception {
    Map<String, String> env = Map.of("KG_STACK_NETWORK", STACK + "-kernels", "KG_STACK_NAME", STACK);
    // Records a crashed earlier run left on the stack's volume are not this run's kernels.
    DockerCli.run("volume", "rm", STATE_VOLUME);
    gateway = ContainerizedGateway.deploy(List.of(DockerCli.DOCKER, "stack", "deploy", "-c", "swarm/stack.yml", STACK),
        List.of(DockerCli.DOCKER, "stack", "rm", STACK), env);
    http = gateway.http();
  }

  @AfterAll
  static void removeStack() throws Exception {
    gateway.close();
    long deadline = System.currentTimeMillis() + 30_000;
    while (!DockerCli.run("service", "ls", "-q", "--filter", "name=" + RUN).output().isEmpty()
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
    }
    assertThat(DockerCli.run("service", "ls", "-q", "--filter", "name=" + RUN).output()).as("no service left").isEmpty();
    // The volume outlives the stack (that is its purpose); its containers may take a moment to go.
    while (!DockerCli.run("volume", "rm", STATE_VOLUME).ok() && System.currentTimeMillis() < deadline + 30_000
        && DockerCli.run("volume", "inspect", STATE_VOLUME).ok()) {
      Thread.sleep(500);
    }
  }

  private static String start(String user) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python_docker")
        .put("env", new JsonObject().put("KERNEL_USERNAME", user)).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().getString("id");
  }

  @Test
  void kernelServiceHasEgSpecAndTheWholeLifecycleWorks() {
    String kernelId = start(RUN + "-swarmer");
    String service = RUN + "-swarmer-" + kernelId;
    JsonObject spec = new JsonArray(DockerCli.run("service", "inspect", service).output()).getJsonObject(0).getJsonObject("Spec");
    assertThat(spec.getJsonObject("Labels").getMap()).containsEntry("kernel_id", kernelId)
        .containsEntry("component", "kernel").containsEntry("app", "enterprise-gateway");
    JsonObject task = spec.getJsonObject("TaskTemplate");
    assertThat(task.getJsonObject("RestartPolicy").getString("Condition")).isEqualTo("none");
    assertThat(spec.getJsonObject("EndpointSpec").getString("Mode")).isEqualTo("dnsrr");
    assertThat(task.getJsonObject("ContainerSpec").getString("Hostname")).isEqualTo(service);
    assertThat(task.getJsonObject("ContainerSpec").getJsonArray("Env").getList()).contains("EG_DOCKER_MODE=swarm", "KERNEL_ID=" + kernelId);

    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.execute("import socket\nsocket.gethostname()").result()).isEqualTo("'" + service + "'");
      client.execute("kept = 5");
      assertThat(client.interruptSleep(http, kernelId).status()).isEqualTo("error");
      assertThat(client.execute("kept").result()).isEqualTo("5");
      assertThat(http.post("/api/kernels/" + kernelId + "/restart", "").status()).isEqualTo(200);
      assertThat(client.execute("'kept' in dir()").result()).isEqualTo("False");
    }
    assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(DockerCli.run("service", "ls", "-q", "--filter", "name=" + service).output()).isEmpty();
  }

  @Test
  void rKernelRunsAsASwarmService() {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "R_docker")
        .put("env", new JsonObject().put("KERNEL_USERNAME", RUN + "-ruser")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String kernelId = started.json().getString("id");
    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.execute("cat(sum(1:6) * 2, '\\n')").stdout()).isEqualTo("42 \n");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  /** Verifies that a forced update of the gateway's service (a new task, as an upgrade makes) keeps the kernel and its variables. */
  @Test
  void aForcedUpdateOfTheGatewayKeepsItsKernels() throws Exception {
    String kernelId = start(RUN + "-durable");
    try {
      try (KernelClient client = gateway.connect(kernelId)) {
        client.execute("answer = 42");
      }
      DockerCli.Result updated = DockerCli.run("service", "update", "--force", "--detach", STACK + "_gateway");
      assertThat(updated.ok()).as(updated.output()).isTrue();
      gateway.awaitApiAfterReplacement();
      assertThat(http.get("/api/kernels/" + kernelId).status()).as("the same id after the update").isEqualTo(200);
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("answer").result()).as("variables survive the update").isEqualTo("42");
      }
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }

  @Test
  void killedTaskContainerIsRestarted() throws Exception {
    String kernelId = start(RUN + "-victim");
    try (KernelClient client = gateway.connect(kernelId)) {
      client.execute("lost = 1");
      String container = DockerCli.run("ps", "-q", "--filter", "label=kernel_id=" + kernelId).output();
      assertThat(container).isNotEmpty();
      assertThat(DockerCli.run("kill", container).ok()).isTrue();
      // The gateway restarts a kernel that died on its own, as Jupyter Server does; the client keeps its socket.
      client.await(message -> KernelClient.isStatus(message, "restarting"), Duration.ofSeconds(10));
      client.await(message -> client.isGatewayStatus(message, "starting"), Duration.ofSeconds(120));
      assertThat(client.execute("'lost' in dir()").result()).isEqualTo("False");
      assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isNotEqualTo("dead");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }
}
