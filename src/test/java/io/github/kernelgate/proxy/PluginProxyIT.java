package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A process proxy registered on the event bus under its own name, as a plugin jar would, is
 * chosen by a kernelspec's class_name and runs a real kernel.
 */
class PluginProxyIT {

  @Test
  void kernelspecClassNameSelectsABusPluginProxy() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      AtomicInteger launches = new AtomicInteger();
      LocalProcessProxy local = new LocalProcessProxy(gateway.vertx(), RunningGateway.repositoryPath("target/plugin-runtime"),
          Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), "plugin-test");
      ProcessProxy counting = new ProcessProxy() {
        @Override
        public io.vertx.core.Future<LaunchResult> launch(LaunchRequest request) {
          launches.incrementAndGet();
          return local.launch(request);
        }

        @Override
        public io.vertx.core.Future<Boolean> isAlive(String kernelId) {
          return local.isAlive(kernelId);
        }

        @Override
        public io.vertx.core.Future<Void> signal(String kernelId, int signum) {
          return local.signal(kernelId, signum);
        }

        @Override
        public io.vertx.core.Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
          return local.waitForExit(kernelId, timeoutMillis);
        }

        @Override
        public io.vertx.core.Future<Void> kill(String kernelId) {
          return local.kill(kernelId);
        }

        @Override
        public io.vertx.core.Future<Void> cleanup(String kernelId) {
          return local.cleanup(kernelId);
        }
      };
      ProxyEndpoint.expose(gateway.vertx(), "acme.CountingProxy", counting).await(10, TimeUnit.SECONDS);

      Http http = gateway.http();
      String kernelId = http.startKernel("plugin_python", RunningGateway.USER);
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("'via plugin'").result()).isEqualTo("'via plugin'");
      }
      assertThat(launches.get()).isEqualTo(1);
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
      assertThat(Path.of(RunningGateway.repositoryPath("target/plugin-runtime").toString(), "kernel-" + kernelId + ".json")).doesNotExist();
    }
  }

  @Test
  void launchRequestSurvivesItsJsonForm() {
    LaunchRequest request = new LaunchRequest("k", "launch-1", "spec", java.util.List.of("a", "{connection_file}"), Map.of("KERNEL_X", "1"),
        null, "/specs/spec", 5_000, new JsonObject().put("language", "python"));
    assertThat(LaunchRequest.fromJson(request.toJson())).isEqualTo(request);
  }
}
