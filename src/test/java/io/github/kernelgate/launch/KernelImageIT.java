package io.github.kernelgate.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.proxy.RemoteLaunchSettings;
import io.github.kernelgate.proxy.RemoteProcessProxy;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.DockerRunRuntime;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KernelGate's kernel images (built by compose/build-images.sh) started with {@code docker run}
 * and the handshake env: they call the gateway back and run code through the WebSocket API;
 * interrupt and shutdown go through the comm port; no container is left behind.
 */
class KernelImageIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() throws Exception {
    DockerCli.testContainers().forEach(id -> DockerCli.run("rm", "-f", id));
    String bridge = DockerCli.bridgeGateway();
    gateway = RunningGateway.start(config -> config.with(Setting.RESPONSE_IP, bridge).with(Setting.RESPONSE_ADDR_ANY, true));
    RemoteProcessProxy proxy = new RemoteProcessProxy(gateway.vertx(), new DockerRunRuntime(gateway.vertx()),
        new RemoteLaunchSettings("0..0", 1000, 5, 2_000));
    ProxyEndpoint.expose(gateway.vertx(), "test.DockerRun", proxy).await(10, TimeUnit.SECONDS);
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
    assertThat(DockerCli.testContainers()).as("no kernel container is left behind").isEmpty();
  }

  private static String start(String spec) {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", spec)
        .put("env", new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_LAUNCH_TIMEOUT", "60")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    return started.json().getString("id");
  }

  @Test
  void pythonImageRunsCodeAndIsInterruptedThroughTheCommPort() {
    String kernelId = start("image_python");
    try (KernelClient client = gateway.connect(kernelId)) {
      String whoami = client.execute("import os, socket\n(os.getuid(), os.environ['KERNEL_ID'])").result();
      assertThat(whoami).isEqualTo("(1000, '" + kernelId + "')");
      client.execute("kept = 'before interrupt'");
      KernelClient.Execution interrupted = client.interruptSleep(http, kernelId);
      assertThat(interrupted.first("error").getJsonObject("content").getString("ename")).isEqualTo("KeyboardInterrupt");
      assertThat(client.execute("kept").result()).isEqualTo("'before interrupt'");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
    assertThat(DockerCli.run("ps", "-aq", "--filter", "label=kernel_id=" + kernelId).output()).isEmpty();
  }

  @Test
  void imagesRunAsANonRootUserAndHonourKernelUidWhenStartedAsRoot() {
    for (String image : new String[] {"kernelgate/kernel-py:dev", "kernelgate/kernel-r:dev"}) {
      assertThat(DockerCli.run("run", "--rm", "--label", DockerCli.TEST_LABEL, image, "id", "-u").output()).as(image).isEqualTo("1000");
      DockerCli.Result asRoot = DockerCli.run("run", "--rm", "--label", DockerCli.TEST_LABEL, "-u", "0",
          "-e", "KERNEL_ID=uid-check", "-e", "KERNEL_UID=1001", "-e", "KERNEL_GID=100",
          "-e", "KERNEL_ARGV=[\"python3\", \"-c\", \"import os; print('ids', os.getuid(), os.getgid())\"]", image);
      assertThat(asRoot.output()).as(image).contains("ids 1001 100");
    }
  }

  @Test
  void rImageRunsRCode() {
    String kernelId = start("image_r");
    try (KernelClient client = gateway.connect(kernelId)) {
      KernelClient.Execution run = client.execute("x <- c(1, 2, 3)\ncat(sum(x) * 7, '\\n')\nR.version$language");
      assertThat(run.status()).isEqualTo("ok");
      assertThat(run.stdout()).isEqualTo("42 \n");
      assertThat(client.execute("stop('boom')").status()).isEqualTo("error");
    } finally {
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }
}
