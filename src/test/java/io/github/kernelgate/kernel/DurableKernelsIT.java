package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kernels outlive their gateway (persistence is on by default), container kernels and local ones
 * (plain processes and launchers) alike: a gateway killed with SIGKILL, or stopped, is followed by
 * one with the same settings that takes its kernels over under the same ids, variables and
 * sessions intact; a kernel that ended meanwhile is removed, container and all. The instance that
 * owns them is on their containers, and a second gateway on the same state directory is refused.
 */
class DurableKernelsIT {

  private static final String RUN = "durit" + Long.toHexString(System.nanoTime() & 0xffffff);

  private final Vertx vertx = Vertx.vertx();
  private final Path work = RunningGateway.repositoryPath("target/durable-" + System.nanoTime());

  @AfterEach
  void close() throws Exception {
    vertx.close().await();
    for (String container : DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().lines().toList()) {
      DockerCli.run("rm", "-f", container);
    }
  }

  private GatewayProcess gateway(String name) throws Exception {
    Files.createDirectories(work);
    Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
        "EG_IP", "127.0.0.1", "KG_RUNTIME_DIR", work.resolve("runtime").toString(), "KG_STATE_DIR", work.resolve("state").toString(),
        "EG_RESPONSE_IP", DockerCli.bridgeGateway(), "EG_RESPONSE_ADDR_ANY", "true", "EG_RESPONSE_PORT", "0",
        "EG_DOCKER_NETWORK", "bridge", "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("kernelspecs") + ","
        + RunningGateway.repositoryPath("src/test/resources/kernelspecs")));
    return GatewayProcess.start(env, new File(work.toFile(), name + ".log"));
  }

  private static String start(Http http, String user) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python_container")
        .put("env", new JsonObject().put("KERNEL_USERNAME", user).put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().getString("id");
  }

  private long kernelPid(GatewayProcess gateway, String kernelId) {
    try (KernelClient client = KernelClient.connect(vertx, gateway.port(), kernelId, false, null)) {
      return Long.parseLong(client.execute("import os\nos.getpid()").result());
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private static List<String> listed(Http http) {
    return http.get("/api/kernels").jsonArray().stream().map(kernel -> ((JsonObject) kernel).getString("id")).toList();
  }

  private static String containersOf(String kernelId) {
    return DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output();
  }

  /** Verifies the SIGKILL case, a kernel that died meanwhile, a corrupt record, then a graceful stop and start. */
  @Test
  void kernelsOutliveTheirGateway() throws Exception {
    String kept;
    String diesMeanwhile;
    String local;
    String launched;
    long localDiesMeanwhile;
    String session;
    GatewayProcess first = gateway("first");
    try {
      Http http = first.http();
      kept = start(http, RUN + "-ada");
      diesMeanwhile = start(http, RUN + "-bob");
      local = http.startKernel("python3", RunningGateway.USER);
      launched = http.startKernel("launcher_python", RunningGateway.USER);
      localDiesMeanwhile = kernelPid(first, http.startKernel("python3", RunningGateway.USER));
      for (String kernelId : List.of(kept, local, launched)) {
        try (KernelClient client = KernelClient.connect(vertx, first.port(), kernelId, false, null)) {
          client.execute("answer = 42");
        }
      }
      session = http.post("/api/sessions", new JsonObject().put("path", "durable.ipynb").put("type", "notebook")
          .put("kernel", new JsonObject().put("id", local)).encode()).json().getString("id");
      String instance = Files.readString(work.resolve("state/instance-id")).strip();
      assertThat(DockerCli.run("inspect", "-f", "{{index .Config.Labels \"kernelgate.instance\"}}", RUN + "-ada-" + kept).output())
          .as("a kernel container names the gateway instance that owns it").isEqualTo(instance);
    } finally {
      first.kill();
    }
    assertThat(DockerCli.run("kill", RUN + "-bob-" + diesMeanwhile).ok()).as("a container kernel dies while no gateway runs").isTrue();
    ProcessHandle.of(localDiesMeanwhile).ifPresent(ProcessHandle::destroyForcibly);
    Files.writeString(work.resolve("state/9f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"), "{\"version\": 1, \"kernel_id\": \"trunc");

    try (GatewayProcess second = gateway("second")) {
      Http http = second.http();
      assertThat(listed(http)).as("the same ids, at once").containsExactlyInAnyOrder(kept, local, launched);
      for (String kernelId : List.of(kept, local, launched)) {
        try (KernelClient client = KernelClient.connect(vertx, second.port(), kernelId, true, null)) {
          assertThat(client.execute("answer").result()).as("variables survive").isEqualTo("42");
          assertThat(client.execute("answer + 1").result()).isEqualTo("43");
        }
      }
      try (KernelClient client = KernelClient.connect(vertx, second.port(), local, false, null)) {
        assertThat(client.interruptSleep(http, local).status()).as("interrupts reach a local kernel taken over (its process group)")
            .isEqualTo("error");
      }
      JsonObject sessionModel = http.get("/api/sessions/" + session).json();
      assertThat(sessionModel.getJsonObject("kernel").getString("id")).as("sessions survive with their kernel").isEqualTo(local);
      assertThat(sessionModel.getString("path")).isEqualTo("durable.ipynb");
      assertThat(http.get("/api/kernels/" + diesMeanwhile).status()).isEqualTo(404);
      assertThat(containersOf(diesMeanwhile)).as("the dead kernel's container is removed").isEmpty();
      assertThat(Files.readString(work.resolve("second.log"))).as("the bad record is named")
          .contains("9f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json cannot be read");
      assertThatThrownBy(() -> RunningGateway.start(config -> config.with(Setting.STATE_DIR, work.resolve("state").toString())
          .with(Setting.PERSIST_KERNELS, true)))
          .as("a second gateway on the same state directory would take over the same kernels")
          .rootCause().hasMessageContaining("is in use by another gateway");
    }
    assertThat(containersOf(kept)).as("a graceful stop leaves the kernel running").isNotEmpty();
    long localPid;

    try (GatewayProcess third = gateway("third")) {
      Http http = third.http();
      assertThat(listed(http)).containsExactlyInAnyOrder(kept, local, launched);
      assertThat(http.get("/api/sessions").jsonArray()).hasSize(1);
      try (KernelClient client = KernelClient.connect(vertx, third.port(), kept, false, null)) {
        assertThat(client.execute("answer").result()).isEqualTo("42");
        assertThat(client.interruptSleep(http, kept).status()).as("interrupts reach a kernel taken over (its comm port)").isEqualTo("error");
        assertThat(client.execute("answer").result()).isEqualTo("42");
      }
      localPid = kernelPid(third, local);
      for (String kernelId : List.of(kept, local, launched)) {
        assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
      }
      assertThat(containersOf(kept)).isEmpty();
      assertThat(alive(localPid)).as("a deleted local kernel taken over is stopped").isFalse();
    }
    try (GatewayProcess fourth = gateway("fourth")) {
      assertThat(listed(fourth.http())).as("a deleted kernel is not taken over").isEmpty();
    }
  }
}
