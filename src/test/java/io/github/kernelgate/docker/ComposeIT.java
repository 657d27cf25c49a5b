package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.ContainerizedGateway;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Smoke test of the single-host deployment: compose/docker-compose.yml with Debian's docker-compose. */
class ComposeIT {

  /** This run's user: its containers are named {@code <user>-<kernel id>} (another gateway may share the engine). */
  private static final String USER = "composer" + Long.toHexString(System.nanoTime() & 0xffffff);

  private static final List<String> COMPOSE = List.of("/usr/bin/docker-compose", "-p", "kgcompose", "-f", "compose/docker-compose.yml");

  @Test
  void composeDeployedGatewayRunsContainerKernels() throws Exception {
    Map<String, String> env = Map.of("KG_COMPOSE_NETWORK", "kgcompose-kernels", "DOCKER_HOST", "unix:///var/run/docker.sock");
    List<String> up = new java.util.ArrayList<>(COMPOSE);
    up.addAll(List.of("up", "-d"));
    List<String> down = new java.util.ArrayList<>(COMPOSE);
    // -v: the kernel records' volume goes too.
    down.addAll(List.of("down", "-v"));
    try (ContainerizedGateway gateway = ContainerizedGateway.deploy(up, down, env)) {
      Http http = gateway.http();
      String kernelId = http.startKernel("python_container", USER);
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("import socket\nsocket.gethostname()").result()).isEqualTo("'" + USER + "-" + kernelId + "'");
      }
      String network = DockerCli.run("inspect", "-f", "{{range $name, $n := .NetworkSettings.Networks}}{{$name}}{{end}}",
          USER + "-" + kernelId).output();
      assertThat(network).isEqualTo("kgcompose-kernels");
      assertThat(awaitHealth("kgcompose_gateway_1")).as("compose's health check reads /health/ready").isEqualTo("healthy");

      // A recreated gateway container takes the kernel over from the records on its volume.
      try (KernelClient client = gateway.connect(kernelId)) {
        client.execute("answer = 42");
      }
      List<String> recreate = new java.util.ArrayList<>(up);
      recreate.add("--force-recreate");
      ContainerizedGateway.run(recreate, gateway.environment());
      gateway.awaitApiAfterReplacement();
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("answer").result()).as("variables survive --force-recreate").isEqualTo("42");
      }
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + USER).output()).as("nothing left").isEmpty();
  }

  /** The container's health as Docker reports it, once it has left "starting" (the check runs every 10 s). */
  private static String awaitHealth(String container) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 90_000;
    String health = DockerCli.run("inspect", "-f", "{{.State.Health.Status}}", container).output();
    while ("starting".equals(health) && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
      health = DockerCli.run("inspect", "-f", "{{.State.Health.Status}}", container).output();
    }
    return health;
  }
}
