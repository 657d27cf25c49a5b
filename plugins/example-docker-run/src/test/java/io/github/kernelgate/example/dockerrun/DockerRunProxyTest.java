package io.github.kernelgate.example.dockerrun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.plugin.ProxyFailure;
import io.github.kernelgate.plugin.testkit.ContractKit;
import io.github.kernelgate.plugin.testkit.ContractReport;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin against a real Docker engine and the kernelgate/kernel-py:dev image: the contract
 * test kit, the kernelspec's docker run options, and a kernelspec it cannot serve. Needs Docker
 * ({@code DOCKER_RUN_CLI} names the docker command when {@code docker} on PATH is not the one).
 */
class DockerRunProxyTest {

  private static final String IMAGE = "kernelgate/kernel-py:dev";
  /** This run's kernels are named after it: the test removes only what it started. */
  private static final String RUN = "drtest" + Long.toHexString(System.nanoTime() & 0xffffff);

  private static final DockerCli DOCKER = new DockerCli(System.getenv().getOrDefault("DOCKER_RUN_CLI", "docker"));
  private static Vertx vertx;
  private static DockerRunProxy proxy;
  private static ProxyEndpoint endpoint;

  @BeforeAll
  static void exposeTheProxy() throws Exception {
    vertx = Vertx.vertx();
    proxy = new DockerRunProxy(vertx, DockerRunPlugin.PROXY_NAME, DOCKER);
    endpoint = ProxyEndpoint.exposeInThisProcess(vertx, DockerRunPlugin.PROXY_NAME, proxy).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    endpoint.close().await(10, TimeUnit.SECONDS);
    vertx.close().await(10, TimeUnit.SECONDS);
    String left = DOCKER.run(List.of("ps", "-aq", "--filter", "name=" + RUN)).output();
    assertEquals("", left, "containers left behind");
  }

  private static LaunchRequest request(String kernelId, JsonObject config) {
    JsonObject spec = new JsonObject().put("argv", new JsonArray(List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}")))
        .put("metadata", new JsonObject().put("process_proxy", new JsonObject().put("class_name", DockerRunPlugin.PROXY_NAME)
            .put("config", config)));
    return new LaunchRequest(kernelId, UUID.randomUUID().toString(), "python_docker_run",
        List.of("python3", "-m", "ipykernel_launcher", "-f", "{connection_file}"),
        Map.of("KERNEL_USERNAME", RUN, "KERNEL_ID", kernelId, "PATH", "/usr/bin:/bin"), null, null, 60_000, spec);
  }

  @Test
  void keepsTheContract() {
    ContractReport report = new ContractKit(vertx, DockerRunPlugin.PROXY_NAME,
        kernelId -> request(kernelId, new JsonObject().put("image_name", IMAGE))).run();
    System.out.println(report);
    assertTrue(report.passed(), report.toString());
  }

  @Test
  void runsTheContainerWithTheKernelspecsOptions() throws Exception {
    String kernelId = UUID.randomUUID().toString();
    JsonObject config = new JsonObject().put("image_name", IMAGE)
        .put("docker_run_options", new JsonArray(List.of("--memory", "256m", "--label", "example.run=" + RUN)));
    try {
      LaunchResult launched = proxy.launch(request(kernelId, config)).await(90, TimeUnit.SECONDS);
      String container = launched.processInfo().getString("container_id");
      assertEquals("268435456 " + RUN, DOCKER.run(List.of("inspect", "-f", "{{.HostConfig.Memory}} {{index .Config.Labels \"example.run\"}}",
          container)).output());
      assertTrue(DOCKER.run(List.of("inspect", "-f", "{{json .Config.Env}}", container)).output().contains("KERNEL_ID=" + kernelId),
          "the kernel's KERNEL_ variables are passed on");
    } finally {
      proxy.kill(kernelId).transform(killed -> proxy.cleanup(kernelId)).await(60, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesAKernelspecWithoutAnImageOrWithMalformedOptions() {
    for (JsonObject config : List.of(new JsonObject(), new JsonObject().put("image_name", IMAGE).put("docker_run_options", "--memory 1g"))) {
      String kernelId = UUID.randomUUID().toString();
      Throwable failure = proxy.launch(request(kernelId, config)).transform(result -> io.vertx.core.Future.succeededFuture(result.cause()))
          .await();
      assertTrue(failure instanceof ProxyFailure, String.valueOf(failure));
      assertEquals(400, ((ProxyFailure) failure).status(), failure.getMessage());
      assertEquals("", DOCKER.run(List.of("ps", "-aq", "--filter", "label=kernel_id=" + kernelId)).output(), "no container made");
    }
  }
}
