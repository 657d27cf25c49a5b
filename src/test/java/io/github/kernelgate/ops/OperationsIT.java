package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.DockerSocketRelay;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.PrometheusText;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The operator's view of a real gateway: health answers and turns 503 when Docker is cut (a
 * relay in front of the real socket), the token rule of the operations routes, and metrics that
 * follow kernels as they start, fail, die, restart and talk, read from /metrics; JSON log lines
 * from the jar with the kernel as fields.
 */
class OperationsIT {

  private static final String RUN = "opsit" + Long.toHexString(System.nanoTime() & 0xffffff);
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Verifies live and ready with every check named, ready 503 naming Docker while it is cut, and UP again once it is back. */
  @Test
  void readinessFollowsDocker() throws Exception {
    Path socket = Path.of("/tmp/kernelgate-ops-relay-" + ProcessHandle.current().pid() + ".sock");
    try (DockerSocketRelay relay = new DockerSocketRelay(socket, null)) {
      relay.start();
      try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.DOCKER_HOST, relay.dockerHost()))) {
        Http http = gateway.http();
        Http.Response live = http.get("/health/live");
        assertThat(live.status()).as(live.body()).isEqualTo(200);
        assertThat(checks(live.json())).containsEntry("zmq", "UP");
        Http.Response ready = http.get("/health/ready");
        assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        assertThat(checks(ready.json())).containsEntry("deployed", "UP").containsEntry("zmq", "UP")
            .containsEntry("response-listener", "UP").containsEntry("docker", "UP").doesNotContainKey("cluster");

        relay.stop();
        Http.Response cut = http.get("/health/ready");
        assertThat(cut.status()).as(cut.body()).isEqualTo(503);
        assertThat(checks(cut.json())).containsEntry("docker", "DOWN").containsEntry("zmq", "UP");
        assertThat(check(cut.json(), "docker").getJsonObject("data").getString("reason")).contains("Docker daemon unreachable");
        assertThat(http.get("/health/live").status()).as("the process itself is fine: no restart wanted").isEqualTo(200);

        relay.start();
        assertThat(awaitStatus(http, "/health/ready", 200).json().getString("outcome")).isEqualTo("UP");
      }
    }
  }

  /** Verifies that the operations routes answer without the API's token, unless KG_OPS_REQUIRE_TOKEN says so. */
  @Test
  void operationsRoutesNeedTheTokenOnlyWhenAsked() throws Exception {
    try (RunningGateway open = RunningGateway.start(config -> config.with(Setting.AUTH_TOKEN, "s3cret"))) {
      Http anonymous = new Http(open.port(), null);
      assertThat(anonymous.get("/api/kernels").status()).isIn(401, 403);
      assertThat(anonymous.get("/health/live").status()).isEqualTo(200);
      assertThat(anonymous.get("/metrics").status()).isEqualTo(200);
    }
    try (RunningGateway guarded = RunningGateway.start(config -> config.with(Setting.AUTH_TOKEN, "s3cret")
        .with(Setting.OPS_REQUIRE_TOKEN, true))) {
      Http anonymous = new Http(guarded.port(), null);
      assertThat(anonymous.get("/health/ready").status()).isIn(401, 403);
      assertThat(anonymous.get("/metrics").status()).isIn(401, 403);
      assertThat(guarded.http().get("/health/ready").status()).isEqualTo(200);
      assertThat(guarded.http().get("/metrics").status()).isEqualTo(200);
    }
  }

  /** Verifies the kernel, launch, restart, death, client, message and Docker figures as a scraper reads them. */
  @Test
  void metricsFollowKernels() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.RESPONSE_IP, DockerCli.bridgeGateway())
        .with(Setting.RESPONSE_ADDR_ANY, true))) {
      Http http = gateway.http();
      PrometheusText before = scrape(http);
      assertThat(before.sum("kernelgate_kernels", "spec", "python3")).isZero();

      String kernelId = http.startKernel("python3", RunningGateway.USER);
      PrometheusText started = scrape(http);
      assertThat(started.sum("kernelgate_kernels", "spec", "python3", "state", "running")).isEqualTo(1);
      assertThat(started.sum("kernelgate_kernel_launch_seconds_count", "spec", "python3", "outcome", "started")).isEqualTo(1);
      assertThat(started.sum("kernelgate_kernel_launch_seconds_bucket", "spec", "python3", "outcome", "started"))
          .as("a histogram, with buckets").isPositive();

      Http.Response failed = http.post("/api/kernels", new JsonObject().put("name", "exits_early")
          .put("env", new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER)).encode());
      assertThat(failed.status()).isEqualTo(500);
      PrometheusText afterFailure = scrape(http);
      assertThat(afterFailure.sum("kernelgate_kernel_launch_failures_total", "cause", "exited")).isEqualTo(1);
      assertThat(afterFailure.sum("kernelgate_kernel_launch_seconds_count", "spec", "exits_early", "outcome", "failed")).isEqualTo(1);
      assertThat(afterFailure.sum("kernelgate_kernels", "spec", "exits_early")).as("a failed start leaves no kernel").isZero();

      String session = java.util.UUID.randomUUID().toString();
      try (KernelClient client = gateway.reconnect(kernelId, false, session)) {
        assertThat(scrape(http).sum("kernelgate_websocket_clients")).isEqualTo(1);
        client.execute("print('x' * 1000)");
        PrometheusText talked = scrape(http);
        assertThat(talked.sum("kernelgate_messages_total", "channel", "shell", "direction", "to_kernel")).isGreaterThanOrEqualTo(1);
        assertThat(talked.sum("kernelgate_message_bytes_total", "channel", "iopub", "direction", "from_kernel")).isGreaterThan(1000);
        assertThat(talked.sum("kernelgate_message_hold_seconds_count", "size", "small")).as("status, input, output, reply").isGreaterThanOrEqualTo(4);
        assertThat(talked.sum("kernelgate_message_hold_seconds_count", "size", "large")).isZero();
        client.execute("print('y' * 1_500_000)");
        PrometheusText large = scrape(http);
        assertThat(large.sum("kernelgate_message_hold_seconds_count", "size", "large")).as("the 1.5 MB output").isEqualTo(1);
        assertThat(large.sum("kernelgate_message_hold_seconds_sum", "size", "large")).isPositive();

        String pid = client.execute("import os\nos.getpid()").result();
        assertThat(new ProcessBuilder("kill", "-9", pid).start().waitFor()).isZero();
        client.await(message -> client.isGatewayStatus(message, "starting"), WAIT);
        PrometheusText restarted = scrape(http);
        assertThat(restarted.sum("kernelgate_kernel_deaths_total")).isEqualTo(1);
        assertThat(restarted.sum("kernelgate_kernel_restarts_total", "kind", "automatic")).isEqualTo(1);
        assertThat(restarted.sum("kernelgate_kernel_launch_seconds_count", "spec", "python3", "outcome", "started")).isEqualTo(2);

        assertThat(http.post("/api/kernels/" + kernelId + "/restart", "{}").status()).isEqualTo(200);
        assertThat(scrape(http).sum("kernelgate_kernel_restarts_total", "kind", "requested")).isEqualTo(1);

        // Output for a session that is away waits in its replay buffer, and is counted there until it returns.
        String cell = client.executeAsync("import time\ntime.sleep(1)\nprint('for later')");
        client.close();
        awaitMetric(http, text -> text.sum("kernelgate_replay_buffer_bytes") > 0);
        try (KernelClient back = gateway.reconnect(kernelId, false, session)) {
          back.await(message -> KernelClient.isChild(message, cell) && KernelClient.isStatus(message, "idle"), WAIT);
          assertThat(scrape(http).sum("kernelgate_replay_buffer_bytes")).as("handed back").isZero();
        }
      }
      assertThat(awaitMetric(http, text -> text.sum("kernelgate_websocket_clients") == 0).sum("kernelgate_websocket_clients")).isZero();

      String container = http.startKernel("python_container", RUN + "-ada");
      PrometheusText docker = scrape(http);
      assertThat(docker.sum("kernelgate_docker_api_seconds_count", "operation", "create-container", "outcome", "ok")).isEqualTo(1);
      assertThat(docker.sum("kernelgate_kernels", "spec", "python_container", "state", "running")).isEqualTo(1);
      assertThat(http.delete("/api/kernels/" + container).status()).isEqualTo(204);
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
      assertThat(scrape(http).sum("kernelgate_kernels")).isZero();
    } finally {
      for (String left : DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().lines().toList()) {
        DockerCli.run("rm", "-f", left);
      }
    }
  }

  /** Verifies that the jar run with KG_LOG_FORMAT=json writes only JSON lines, the kernel's id, user and proxy as fields. */
  @Test
  void jsonLogLinesCarryTheKernelAsFields() throws Exception {
    Path work = RunningGateway.repositoryPath("target/opsit-json-" + System.nanoTime());
    Files.createDirectories(work);
    File log = work.resolve("gateway.log").toFile();
    Map<String, String> env = Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
        "EG_IP", "127.0.0.1", "KG_RUNTIME_DIR", work.resolve("runtime").toString(), "KG_STATE_DIR", work.resolve("state").toString(),
        "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("kernelspecs").toString(), "KG_LOG_FORMAT", "json");
    String kernelId;
    try (GatewayProcess gateway = GatewayProcess.start(env, log)) {
      kernelId = gateway.http().startKernel("python3", RunningGateway.USER);
      assertThat(gateway.http().delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    List<JsonObject> lines = new ArrayList<>();
    for (String line : Files.readAllLines(log.toPath())) {
      assertThat(line).as("every line is one JSON object").startsWith("{");
      lines.add(new JsonObject(line));
    }
    assertThat(lines).allSatisfy(line -> assertThat(line.fieldNames()).contains("time", "level", "logger", "thread", "message"));
    JsonObject starting = lines.stream().filter(line -> "starting kernel".equals(line.getString("message"))).findFirst().orElseThrow();
    assertThat(starting.getString("kernel_id")).isEqualTo(kernelId);
    assertThat(starting.getString("user")).isEqualTo(RunningGateway.USER);
    assertThat(starting.getString("proxy")).isEqualTo("local");
    assertThat(starting.getString("name")).isEqualTo("python3");
    assertThat(lines).filteredOn(line -> kernelId.equals(line.getString("kernel_id"))).extracting(line -> line.getString("message"))
        .contains("kernel started", "shutting down kernel", "kernel shut down");
    assertThat(lines).filteredOn(line -> "process started".equals(line.getString("message")))
        .singleElement().satisfies(line -> assertThat(line.getValue("pid")).as("numbers stay numbers").isInstanceOf(Number.class));
  }

  private static PrometheusText scrape(Http http) {
    Http.Response metrics = http.get("/metrics");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).startsWith("text/plain");
    return new PrometheusText(metrics.body());
  }

  private static PrometheusText awaitMetric(Http http, Predicate<PrometheusText> condition) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    PrometheusText text = scrape(http);
    while (!condition.test(text) && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      text = scrape(http);
    }
    assertThat(condition.test(text)).as("metrics never got there:%n%s", text).isTrue();
    return text;
  }

  private static Http.Response awaitStatus(Http http, String path, int status) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT.toMillis();
    Http.Response response = http.get(path);
    while (response.status() != status && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      response = http.get(path);
    }
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    return response;
  }

  private static java.util.Map<String, String> checks(JsonObject health) {
    java.util.Map<String, String> statuses = new java.util.HashMap<>();
    health.getJsonArray("checks").stream().map(JsonObject.class::cast).forEach(check -> statuses.put(check.getString("id"), check.getString("status")));
    return statuses;
  }

  private static JsonObject check(JsonObject health, String id) {
    return health.getJsonArray("checks").stream().map(JsonObject.class::cast).filter(check -> id.equals(check.getString("id"))).findFirst()
        .orElseThrow();
  }
}
