package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.kernel.KernelEnvironment;
import io.github.kernelgate.kernel.LaunchRequests;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.plugin.testkit.ContractKit;
import io.github.kernelgate.plugin.testkit.ContractReport;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract test kit a plugin author runs, run against the proxies KernelGate ships (each
 * driven over the bus of a real gateway, with real kernels: processes and containers) and against
 * a deliberately broken proxy, which it must catch. The swarm proxy is left out: its services
 * live on an overlay network that only a gateway inside the stack reaches (SwarmStackIT).
 */
class ProxyContractIT {

  private static final String RUN = "pcit" + Long.toHexString(System.nanoTime() & 0xffffff);

  private static RunningGateway gateway;
  private static KernelSpecStore specs;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.RESPONSE_IP, DockerCli.bridgeGateway())
        .with(Setting.RESPONSE_ADDR_ANY, true).with(Setting.DOCKER_NETWORK, "bridge"));
    specs = new KernelSpecStore(List.of(RunningGateway.repositoryPath("kernelspecs"),
        RunningGateway.repositoryPath("src/test/resources/kernelspecs")));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
    assertThat(DockerCli.run("ps", "-aq", "--filter", "name=" + RUN).output()).as("no kernel container left").isEmpty();
  }

  /** Launch requests for kernels of {@code specName}, built as the gateway builds them. */
  private static Function<String, LaunchRequest> requestsFor(String specName) {
    KernelSpec spec = specs.find(specName).orElseThrow();
    return kernelId -> LaunchRequests.forSpec(spec, kernelId, UUID.randomUUID().toString(),
        KernelEnvironment.build(Map.of("PATH", System.getenv("PATH")), Map.of(), spec, kernelId, RUN), null, 60_000);
  }

  private static void assertKeepsTheContract(String proxyName, String specName) {
    ContractReport report = new ContractKit(gateway.vertx(), proxyName, requestsFor(specName)).run();
    System.out.println(report);
    assertThat(report.passed()).as(report.toString()).isTrue();
    assertThat(report.checks()).hasSizeGreaterThanOrEqualTo(14);
  }

  @Test
  void localProcessesKeepTheContract() {
    assertKeepsTheContract(ProxyNames.LOCAL, "python3");
  }

  @Test
  void theLocalLauncherKeepsTheContract() {
    assertKeepsTheContract(ProxyNames.LAUNCHER, "launcher_python");
  }

  @Test
  void dockerContainersKeepTheContract() {
    assertKeepsTheContract(ProxyNames.DOCKER, "python_container");
  }

  /** Verifies that the kit catches a proxy that loses track of its kernels. */
  @Test
  void aBrokenProxyFailsTheContract() throws Exception {
    ProxyEndpoint endpoint = ProxyEndpoint.exposeInThisProcess(gateway.vertx(), "test.Forgetful", new ForgetfulProxy())
        .await(10, TimeUnit.SECONDS);
    try {
      ContractReport report = new ContractKit(gateway.vertx(), "test.Forgetful", requestsFor("python3"))
          .waitingAtMost(Duration.ofSeconds(2)).run();
      System.out.println(report);
      assertThat(report.passed()).isFalse();
      assertThat(report.failures()).extracting(check -> check.name()).containsExactlyInAnyOrder(
          ContractKit.HEARTBEAT, ContractKit.KILL, ContractKit.WAIT_AFTER_KILL, ContractKit.UNKNOWN_NOT_ALIVE,
          ContractKit.CLEANUP_TWICE, ContractKit.UNKNOWN_IDEMPOTENT, ContractKit.EXIT_EVENT);
      assertThat(report.toString()).contains("FAIL " + ContractKit.KILL + ": expected false, got true");
    } finally {
      endpoint.close().await(10, TimeUnit.SECONDS);
    }
  }

  /** Answers every verb but runs nothing: it says every kernel is alive, and fails for kernels it does not know. */
  private static final class ForgetfulProxy implements ProcessProxy {

    private final java.util.Set<String> launched = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public Future<LaunchResult> launch(LaunchRequest request) {
      launched.add(request.kernelId());
      ConnectionInfo nowhere = new ConnectionInfo("127.0.0.1", "tcp", 1, 2, 3, 4, 5, "", "hmac-sha256");
      return Future.succeededFuture(new LaunchResult(request.launchId(), nowhere, new JsonObject()));
    }

    @Override
    public Future<Boolean> isAlive(String kernelId) {
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> signal(String kernelId, int signum) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
      return Future.succeededFuture(false);
    }

    @Override
    public Future<Void> kill(String kernelId) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> cleanup(String kernelId) {
      return launched.remove(kernelId) ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException("no such kernel"));
    }
  }
}
