package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.FreePorts;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The example plugin (plugins/example-docker-run, built by the invoker before these tests) as an
 * operator installs it: its jar dropped into KG_PLUGIN_DIR of the gateway jar, unchanged, runs a
 * kernel end to end; and with clustering on, the same jar served by a plugin host process on the
 * gateway's bus, which a gateway without the jar uses.
 */
class PluginJarIT {

  private static final String RUN = "pjit" + Long.toHexString(System.nanoTime() & 0xffffff);
  private static final String SPEC = "docker_run_python";
  private static final String PROXY = "example.DockerRunProxy";

  private final Vertx vertx = Vertx.vertx();
  private final Path work = RunningGateway.repositoryPath("target/plugin-jar-" + System.nanoTime());
  private Path pluginDir;
  private GatewayProcess gateway;
  private Process pluginHost;

  @BeforeEach
  void installThePluginJar() throws Exception {
    Path built;
    try (Stream<Path> jars = Files.list(RunningGateway.repositoryPath("target/plugins/example-docker-run/target"))) {
      built = jars.filter(path -> path.getFileName().toString().endsWith(".jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("the example plugin is not built: run mvn verify (the invoker builds it)"));
    }
    pluginDir = Files.createDirectories(work.resolve("plugins"));
    Files.copy(built, pluginDir.resolve(built.getFileName()), StandardCopyOption.REPLACE_EXISTING);
  }

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    if (pluginHost != null) {
      pluginHost.destroy();
      if (!pluginHost.waitFor(60, TimeUnit.SECONDS)) {
        pluginHost.destroyForcibly();
      }
    }
    for (String container : DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output().lines().toList()) {
      DockerCli.run("rm", "-f", container);
    }
    vertx.close().await();
  }

  private Map<String, String> environment() {
    return new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
        "KG_RUNTIME_DIR", work.resolve("runtime").toString(), "DOCKER_RUN_CLI", "/usr/bin/docker",
        "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("src/test/resources/plugin-kernelspecs").toString()));
  }

  /** Starts a kernel of the plugin's spec, runs code in it, deletes it: nothing of it is left. */
  private void runAKernelThrough(Http http, int port) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", SPEC)
        .put("env", new JsonObject().put("KERNEL_USERNAME", RUN).put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    String kernelId = started.json().getString("id");
    String container = DockerCli.run("ps", "-q", "--filter", "label=kernel_id=" + kernelId).output().strip();
    assertThat(DockerCli.run("inspect", "-f", "{{.HostConfig.Memory}}", container).output().strip())
        .as("the kernelspec's docker_run_options reached docker run").isEqualTo("536870912");
    try (KernelClient client = KernelClient.connect(vertx, port, kernelId, false, null)) {
      assertThat(client.execute("import os\nos.environ['KERNEL_ID']").result()).isEqualTo("'" + kernelId + "'");
    }
    assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).as("its container is removed").isBlank();
  }

  private static JsonObject pluginsCheck(Http http) {
    return http.get("/health/ready").json().getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(check -> "plugins".equals(check.getString("id"))).findFirst().orElseThrow().getJsonObject("data");
  }

  @Test
  void theExamplePluginsJarRunsAKernelInTheGateway() throws Exception {
    Map<String, String> env = environment();
    env.put("KG_PLUGIN_DIR", pluginDir.toString());
    gateway = GatewayProcess.start(env, work.resolve("gateway.log").toFile());
    Http http = gateway.http();

    assertThat(http.get("/api/kernelspecs").json().getJsonObject("kernelspecs").fieldNames()).contains(SPEC);
    assertThat(pluginsCheck(http).getJsonArray("answering").getList()).containsExactly(PROXY);
    runAKernelThrough(http, gateway.port());
    assertThat(Files.readString(work.resolve("gateway.log"))).contains("plugin proxy serving");
  }

  @Test
  void aPluginHostServesAClusteredGatewayWithoutTheJar() throws Exception {
    int gatewayPort = FreePorts.pick();
    int hostPort = FreePorts.pick();
    Map<String, String> cluster = Map.of("KG_CLUSTER", "true", "KG_CLUSTER_NAME", RUN, "KG_CLUSTER_HOST", "127.0.0.1",
        "KG_CLUSTER_MEMBERS", "127.0.0.1:" + gatewayPort + ",127.0.0.1:" + hostPort, "KG_CLUSTER_FAILURE_SECONDS", "4");
    Map<String, String> gatewayEnv = environment();
    gatewayEnv.putAll(cluster);
    gatewayEnv.put("KG_CLUSTER_PORT", String.valueOf(gatewayPort));
    gatewayEnv.put("KG_INSTANCE_ID", RUN + "-gateway");
    gateway = GatewayProcess.start(gatewayEnv, work.resolve("gateway.log").toFile());
    Http http = gateway.http();
    assertThat(pluginsCheck(http).getJsonArray("silent").getList()).as("no plugin host yet").containsExactly(PROXY);
    Http.Response refused = http.post("/api/kernels", new JsonObject().put("name", SPEC)
        .put("env", new JsonObject().put("KERNEL_USERNAME", RUN)).encode());
    assertThat(refused.status()).as(refused.body()).isEqualTo(500);
    assertThat(refused.json().getString("message")).contains(PROXY).contains("plugin");

    Map<String, String> hostEnv = environment();
    hostEnv.putAll(cluster);
    hostEnv.put("KG_CLUSTER_PORT", String.valueOf(hostPort));
    hostEnv.put("KG_PLUGIN_DIR", pluginDir.toString());
    File hostLog = work.resolve("plugin-host.log").toFile();
    ProcessBuilder host = new ProcessBuilder("java", "@conf/jvm.options", "-cp", "target/kernelgate.jar", "io.github.kernelgate.PluginHost")
        .redirectErrorStream(true).redirectOutput(hostLog);
    host.environment().clear();
    host.environment().putAll(hostEnv);
    pluginHost = host.start();
    long deadline = System.currentTimeMillis() + 120_000;
    while (!pluginsCheck(http).getJsonArray("answering").getList().contains(PROXY) && System.currentTimeMillis() < deadline) {
      assertThat(pluginHost.isAlive()).as("the plugin host runs; see %s", hostLog).isTrue();
      Thread.sleep(250);
    }
    assertThat(pluginsCheck(http).getJsonArray("answering").getList()).as("served by the host; see %s", hostLog).containsExactly(PROXY);
    runAKernelThrough(http, gateway.port());
    assertThat(Files.readString(work.resolve("gateway.log"))).doesNotContain("plugin proxy serving");
    assertThat(Files.readString(hostLog.toPath())).contains("plugin proxy serving");
  }

}
