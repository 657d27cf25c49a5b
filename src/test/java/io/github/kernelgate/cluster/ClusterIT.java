package io.github.kernelgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.FreePorts;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.PrometheusText;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

  private final List<Map<String, String>> environments = new ArrayList<>();

  @BeforeEach
  void startThreeReplicas() throws Exception {
    Files.createDirectories(work);
    List<Integer> ports = List.of(FreePorts.pick(), FreePorts.pick(), FreePorts.pick());
    String members = ports.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
    for (int i = 0; i < 3; i++) {
      Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
          "EG_IP", "127.0.0.1", "KG_RUNTIME_DIR", work.resolve("runtime-" + i).toString(),
          "EG_RESPONSE_IP", DockerCli.bridgeGateway(), "EG_RESPONSE_ADDR_ANY", "true", "EG_RESPONSE_PORT", "0",
          "EG_DOCKER_NETWORK", "bridge", "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("kernelspecs").toString(),
          "EG_LIST_KERNELS", "true"));
      env.putAll(Map.of("KG_CLUSTER", "true", "KG_CLUSTER_NAME", RUN, "KG_CLUSTER_HOST", "127.0.0.1",
          "KG_CLUSTER_PORT", String.valueOf(ports.get(i)), "KG_CLUSTER_MEMBERS", members, "KG_INSTANCE_ID", replicaName(i)));
      // A hung replica is given up on after 4 s (6 by default): the partition test waits less.
      env.put("KG_CLUSTER_FAILURE_SECONDS", "4");
      environments.add(env);
    }
    List<CompletableFuture<GatewayProcess>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      int replica = i;
      starting.add(CompletableFuture.supplyAsync(() -> start(replica, "")));
    }
    // Every replica that started is kept, even when another did not, so that stop() ends it too.
    Exception failed = null;
    for (CompletableFuture<GatewayProcess> replica : starting) {
      try {
        replicas.add(replica.get());
      } catch (java.util.concurrent.ExecutionException notStarted) {
        failed = failed == null ? notStarted : failed;
      }
    }
    if (failed != null) {
      throw failed;
    }
  }

  private static String replicaName(int replica) {
    return RUN + "-" + "abc".charAt(replica);
  }

  private GatewayProcess start(int replica, String logSuffix) {
    try {
      return GatewayProcess.start(environments.get(replica), work.resolve("replica-" + "abc".charAt(replica) + logSuffix + ".log").toFile());
    } catch (Exception failed) {
      throw new IllegalStateException(failed);
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (GatewayProcess replica : replicas) {
      replica.close();
    }
    for (String container : DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().lines().toList()) {
      DockerCli.run("rm", "-f", container);
    }
    vertx.close().await();
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
    String kernelId = startContainerKernel(onA, RUN + "-ada");

    Http.Response ready = onB.get("/health/ready");
    assertThat(ready.status()).as(ready.body()).isEqualTo(200);
    JsonObject cluster = ready.json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "cluster".equals(check.getString("id"))).findFirst().orElseThrow();
    assertThat(cluster.getString("status")).isEqualTo("UP");
    assertThat(cluster.getJsonObject("data").getInteger("members")).isEqualTo(3);
    PrometheusText metrics = new PrometheusText(onA.get("/metrics").body());
    assertThat(metrics.sum("kernelgate_kernels", "spec", "python_container", "state", "running")).as("the owner counts it").isEqualTo(1);
    assertThat(new PrometheusText(onB.get("/metrics").body()).sum("kernelgate_kernels")).as("only the owner counts it").isZero();
    assertThat(metrics.has("jvm_memory_used_bytes")).as("the JVM's figures").isTrue();
    assertThat(metrics.has("vertx_http_server_requests_total")).as("Vert.x's figures").isTrue();

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

  private static String startContainerKernel(Http http, String user) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python_container")
        .put("env", new JsonObject().put("KERNEL_USERNAME", user).put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().getString("id");
  }

  private static boolean printed(JsonObject message, String text) {
    return "stream".equals(KernelClient.type(message)) && message.getJsonObject("content").getString("text", "").contains(text);
  }

  /** How many lines of {@code logs} say {@code message} about the kernel (its id is a field of the line: {@code kernel_id=...}). */
  private static long linesAbout(String kernelId, String message, List<Path> logs) throws Exception {
    long count = 0;
    for (Path log : logs) {
      count += Files.readAllLines(log).stream().filter(line -> line.contains(message) && line.contains("kernel_id=" + kernelId)).count();
    }
    return count;
  }

  private static long takeOversOf(String kernelId, List<Path> logs) throws Exception {
    return linesAbout(kernelId, "kernel of a departed replica taken over in", logs);
  }

  /**
   * Verifies failover: A is killed with SIGKILL while a client on B runs a cell on one of its
   * kernels, right after A answered the start of a third; B and C race for A's kernels and each is taken over exactly once, with its
   * variables; the client reconnects (to C) under its session once the cell is over and gets the
   * cell's output from after the take-over, replayed, then runs code; A, started again, serves
   * nothing of its old kernels itself but still answers for them.
   */
  @Test
  void survivorsTakeOverTheKernelsOfAKilledReplica() throws Exception {
    GatewayProcess a = replicas.get(0);
    Http onB = replicas.get(1).http();
    Http onC = replicas.get(2).http();
    String first = startContainerKernel(a.http(), RUN + "-ada");
    String second = startContainerKernel(a.http(), RUN + "-bob");
    String session = java.util.UUID.randomUUID().toString();
    KernelClient throughB = KernelClient.connect(vertx, replicas.get(1).port(), first, false, null, Integer.MAX_VALUE, session);
    assertThat(throughB.execute("answer = 42\nanswer").result()).isEqualTo("42");
    String cell = throughB.executeAsync("import time\nfor i in range(40):\n    print('line', i, flush=True)\n    time.sleep(0.25)");
    throughB.await(message -> KernelClient.isChild(message, cell) && printed(message, "line 0"), java.time.Duration.ofSeconds(30));

    // Started just before the kill: its start was answered, so its record must already be where the survivors read it.
    String third = startContainerKernel(a.http(), RUN + "-cy");
    long killed = System.currentTimeMillis();
    a.kill();
    assertThat(throughB.awaitClose(java.time.Duration.ofSeconds(60))).as("the relay to the dead owner is closed").isEqualTo((short) 1012);
    throughB.close();
    long deadline = System.currentTimeMillis() + 60_000;
    List<String> all = List.of(first, second, third);
    while (!(listed(onB).containsAll(all) && listed(onC).containsAll(all)) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    System.out.printf("failover: the kernels listed again %d ms after the kill%n", System.currentTimeMillis() - killed);
    assertThat(listed(onB)).containsExactlyInAnyOrderElementsOf(all);
    assertThat(listed(onC)).containsExactlyInAnyOrderElementsOf(all);
    List<Path> survivorLogs = List.of(work.resolve("replica-b.log"), work.resolve("replica-c.log"));
    assertThat(takeOversOf(first, survivorLogs)).as("each kernel taken over by exactly one survivor").isEqualTo(1);
    assertThat(takeOversOf(second, survivorLogs)).isEqualTo(1);
    assertThat(takeOversOf(third, survivorLogs)).as("the kernel started just before the kill too").isEqualTo(1);

    try (KernelClient observer = KernelClient.connect(vertx, replicas.get(2).port(), first, false, null)) {
      // Another client sees the cell, which ran on through the failover, come to its end.
      observer.await(message -> KernelClient.isChild(message, cell) && printed(message, "line 39"), java.time.Duration.ofSeconds(60));
    }
    try (KernelClient again = KernelClient.connect(vertx, replicas.get(2).port(), first, true, null, Integer.MAX_VALUE, session)) {
      again.await(message -> KernelClient.isChild(message, cell) && printed(message, "line 39"), java.time.Duration.ofSeconds(10));
      again.await(message -> KernelClient.isChild(message, cell) && KernelClient.isStatus(message, "idle"), java.time.Duration.ofSeconds(10));
      assertThat(again.received().stream().filter(message -> KernelClient.isChild(message, cell)).count())
          .as("the returning session gets the cell's output printed after the take-over, replayed").isGreaterThan(1);
      assertThat(again.execute("answer").result()).as("variables survive the failover").isEqualTo("42");
      assertThat(again.execute("answer * 2").result()).isEqualTo("84");
    }

    GatewayProcess back = start(0, "-again");
    replicas.set(0, back);
    Http onA = back.http();
    assertThat(listed(onA)).as("the returning replica answers for the cluster").containsExactlyInAnyOrderElementsOf(all);
    List<Path> againLog = List.of(work.resolve("replica-a-again.log"));
    assertThat(linesAbout(first, "kernel is served by another replica now", againLog)).as("and does not fight for its old kernels").isEqualTo(1);
    assertThat(linesAbout(second, "kernel is served by another replica now", againLog)).isEqualTo(1);
    try (KernelClient throughA = KernelClient.connect(vertx, back.port(), second, false, null)) {
      assertThat(throughA.execute("'alive'").result()).isEqualTo("'alive'");
    }
    for (String kernelId : all) {
      assertThat(onA.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output()).as("nothing left running").isEmpty();
  }

  /**
   * Verifies that a kernel still starting when its replica dies fails cleanly: replica A hangs
   * after the container started and its launcher sends the connection info to A, which never
   * reads it, then A is killed. One survivor finds the kernel owned but never recorded and
   * removes its container; no replica lists the kernel.
   */
  @Test
  void aLaunchWhoseReplicaDiesFailsCleanly() throws Exception {
    GatewayProcess a = replicas.get(0);
    Http onB = replicas.get(1).http();
    String kernelId = java.util.UUID.randomUUID().toString();
    CompletableFuture<Http.Response> starting = a.http().startInBackground("python_container", kernelId,
        new JsonObject().put("KERNEL_USERNAME", RUN + "-cy").put("KERNEL_LAUNCH_TIMEOUT", "120"));
    String container = awaitDocker(output -> !output.isBlank(), "ps", "-q", "--filter", "label=kernel_id=" + kernelId,
        "--filter", "status=running");
    a.freeze();
    awaitDocker(output -> output.contains("connection info sent"), "logs", container);
    assertThat(starting).as("the launch cannot have completed: A hung before its launcher answered").isNotDone();
    a.kill();

    long deadline = System.currentTimeMillis() + 60_000;
    while (!DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output().isBlank() && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).as("the kernel's container is removed").isBlank();
    assertThat(onB.get("/api/kernels/" + kernelId).status()).isEqualTo(404);
    assertThat(listed(replicas.get(2).http())).doesNotContain(kernelId);
    long reports = linesAbout(kernelId, "kernel of a departed replica was still starting",
        List.of(work.resolve("replica-b.log"), work.resolve("replica-c.log")));
    assertThat(reports).as("exactly one survivor cleans the launch up").isEqualTo(1);
  }

  /**
   * Verifies that a replica cut off from the others for longer than the failure timeout (here:
   * hung, which the others cannot tell from a network cut) and then back does not keep serving
   * the kernel a survivor took over meanwhile: once the cluster has merged, it lets go of it, its
   * client is closed with 1012 and reconnects through it to the new owner, with the variables;
   * every replica lists the kernel once.
   */
  @Test
  void aReplicaBackFromAPartitionLetsGoOfWhatTheOthersTookOver() throws Exception {
    GatewayProcess a = replicas.get(0);
    String kernelId = startContainerKernel(a.http(), RUN + "-dan");
    KernelClient onA = KernelClient.connect(vertx, a.port(), kernelId, false, null);
    assertThat(onA.execute("answer = 42\nanswer").result()).isEqualTo("42");

    a.freeze();
    // Asked while A still counts as a member: whether B's request reaches A (which never answers),
    // or B's owner lookup finds A gone, or finds a survivor busy taking the kernel over, the answer
    // is a 503 naming why (or, taken over already, the kernel): never a time-out, never a 404.
    CompletableFuture<Http.Response> askedDuringTheHang = CompletableFuture.supplyAsync(
        () -> replicas.get(1).http().get("/api/kernels/" + kernelId));
    List<Path> survivorLogs = List.of(work.resolve("replica-b.log"), work.resolve("replica-c.log"));
    long deadline = System.currentTimeMillis() + 60_000;
    while (takeOversOf(kernelId, survivorLogs) == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    assertThat(takeOversOf(kernelId, survivorLogs)).as("a survivor took the kernel of the hung replica over").isEqualTo(1);
    Http.Response asked = askedDuringTheHang.get(60, TimeUnit.SECONDS);
    assertThat(asked.status()).as(asked.body()).isIn(200, 503);
    if (asked.status() == 503) {
      assertThat(asked.json().getString("message")).as("not a time-out").containsAnyOf("has left the cluster", "is being taken over");
    }
    a.thaw();

    assertThat(onA.awaitClose(java.time.Duration.ofSeconds(120))).as("back in the cluster, A lets its client go").isEqualTo((short) 1012);
    onA.close();
    assertThat(linesAbout(kernelId, "kernel is served by another replica since this one rejoined", List.of(work.resolve("replica-a.log"))))
        .isEqualTo(1);
    for (GatewayProcess replica : replicas) {
      assertThat(listed(replica.http())).as("listed once by every replica").containsExactly(kernelId);
    }
    try (KernelClient again = KernelClient.connect(vertx, a.port(), kernelId, true, null)) {
      assertThat(again.execute("answer").result()).as("through A, relayed to the new owner").isEqualTo("42");
    }
    assertThat(a.http().delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).isBlank();
  }

  /** Runs {@code docker args} until what it prints passes {@code test} (within 60 s); answers what it printed. */
  private static String awaitDocker(java.util.function.Predicate<String> test, String... args) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    String output = DockerCli.run(args).output();
    while (!test.test(output) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      output = DockerCli.run(args).output();
    }
    assertThat(test.test(output)).as("docker %s printed: %s", String.join(" ", args), output).isTrue();
    return output.strip();
  }
}
