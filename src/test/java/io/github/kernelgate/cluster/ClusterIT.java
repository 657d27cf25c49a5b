package io.github.kernelgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three gateway replicas clustered on one host (KG_CLUSTER, Hazelcast over TCP on loopback), with
 * container kernels: a kernel started through replica A is run through B's and C's WebSockets,
 * listed, read, interrupted, restarted, given a session and deleted through the others' REST
 * API, and every replica tells the same story.
 */
class ClusterIT {

  private static final String RUN = "clit" + Long.toHexString(System.nanoTime() & 0xffffff);

  private final Vertx vertx = Vertx.vertx();
  private final Path work = RunningGateway.repositoryPath("target/cluster-" + System.nanoTime());
  private final List<GatewayProcess> replicas = new ArrayList<>();

  @BeforeEach
  void startThreeReplicas() throws Exception {
    Files.createDirectories(work);
    List<Integer> ports = List.of(freePort(), freePort(), freePort());
    String members = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
          "EG_IP", "127.0.0.1", "KG_RUNTIME_DIR", work.resolve("runtime-" + i).toString(),
          "EG_RESPONSE_IP", DockerCli.bridgeGateway(), "EG_RESPONSE_ADDR_ANY", "true", "EG_RESPONSE_PORT", "0",
          "EG_DOCKER_NETWORK", "bridge", "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("kernelspecs").toString(),
          "EG_LIST_KERNELS", "true"));
      env.putAll(Map.of("KG_CLUSTER", "true", "KG_CLUSTER_NAME", RUN, "KG_CLUSTER_HOST", "127.0.0.1",
          "KG_CLUSTER_PORT", String.valueOf(ports.get(i)), "KG_CLUSTER_MEMBERS", members, "KG_INSTANCE_ID", RUN + "-" + "abc".charAt(i)));
      File log = work.resolve("replica-" + "abc".charAt(i) + ".log").toFile();
      starting.add(CompletableFuture.supplyAsync(() -> {
        try {
          return GatewayProcess.start(env, log);
        } catch (Exception failed) {
          throw new IllegalStateException(failed);
        }
      }));
    }
    for (CompletableFuture<GatewayProcess> replica : starting) {
      replicas.add(replica.get());
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayProcess replica : replicas) {
      replica.close();
    }
    vertx.close().await();
    for (String container : DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().lines().toList()) {
      DockerCli.run("rm", "-f", container);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static List<String> listed(Http http) {
    return http.get("/api/kernels").jsonArray().stream().map(kernel -> ((JsonObject) kernel).getString("id")).toList();
  }

  /** Verifies that a kernel started on A is served through B's and C's WebSockets and REST API, consistently on all three. */
  @Test
  void anyReplicaAnswersForEveryKernel() {
    GatewayProcess b = replicas.get(1);
    GatewayProcess c = replicas.get(2);
    Http onA = replicas.get(0).http();
    Http onB = b.http();
    Http onC = c.http();
    Http.Response started = onA.post("/api/kernels", new JsonObject().put("name", "python_container")
        .put("env", new JsonObject().put("KERNEL_USERNAME", RUN + "-ada").put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String kernelId = started.json().getString("id");

    for (Http replica : List.of(onA, onB, onC)) {
      assertThat(listed(replica)).as("every replica lists the cluster's kernels").containsExactly(kernelId);
    }
    assertThat(onB.get("/api/kernels/" + kernelId).json().getString("name")).isEqualTo("python_container");
    assertThat(onB.get("/api/kernels/00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);

    try (KernelClient throughB = KernelClient.connect(vertx, b.port(), kernelId, false, null);
         KernelClient throughC = KernelClient.connect(vertx, c.port(), kernelId, true, null)) {
      assertThat(throughB.execute("answer = 42\nanswer").result()).as("executed through B's WebSocket (legacy framing)").isEqualTo("42");
      assertThat(throughC.execute("answer + 1").result()).as("and C's (v1 framing)").isEqualTo("43");
      assertThat(throughB.interruptSleep(onC, kernelId).status()).as("an interrupt through C's REST reaches the kernel on A")
          .isEqualTo("error");
      assertThat(throughB.execute("answer").result()).isEqualTo("42");
    }
    Http.Response restarted = onC.post("/api/kernels/" + kernelId + "/restart", "");
    assertThat(restarted.status()).as(restarted.body()).isEqualTo(200);
    try (KernelClient client = KernelClient.connect(vertx, b.port(), kernelId, false, null)) {
      assertThat(client.execute("'answer' in globals()").result()).as("restarted through C: a fresh kernel").isEqualTo("False");
    }

    Http.Response session = onB.post("/api/sessions", new JsonObject().put("path", "cluster.ipynb").put("type", "notebook")
        .put("kernel", new JsonObject().put("id", kernelId)).encode());
    assertThat(session.status()).as(session.body()).isEqualTo(201);
    String sessionId = session.json().getString("id");
    assertThat(onC.get("/api/sessions").jsonArray()).hasSize(1);
    assertThat(onC.get("/api/sessions/" + sessionId).json().getJsonObject("kernel").getString("id")).isEqualTo(kernelId);

    assertThat(onB.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    for (Http replica : List.of(onA, onB, onC)) {
      assertThat(listed(replica)).isEmpty();
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).as("its container is gone").isEmpty();
  }
}
