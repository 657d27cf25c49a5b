package io.github.kernelgate.kernel;

import io.github.kernelgate.ops.GatewayMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusCodecs;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.cluster.Replica;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.Setting;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle verticle against a scripted process proxy (and a ZMQ bridge that answers at
 * once): the awkward orders of events, played one step at a time.
 */
class KernelLifecycleTest {

  private static final long WAIT_SECONDS = 20;
  private static final ConnectionInfo SOMEWHERE = new ConnectionInfo("127.0.0.1", "tcp", 1, 2, 3, 4, 5, "", "hmac-sha256");

  /** A proxy whose launches end when the test says so, and which remembers what it was asked. */
  private static final class ScriptedProxy implements ProcessProxy {
    final List<LaunchRequest> launches = new CopyOnWriteArrayList<>();
    final List<Promise<LaunchResult>> pending = new CopyOnWriteArrayList<>();
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public Future<LaunchResult> launch(LaunchRequest request) {
      launches.add(request);
      Promise<LaunchResult> result = Promise.promise();
      pending.add(result);
      return result.future();
    }

    void finishLaunch(int index) {
      LaunchRequest request = launches.get(index);
      pending.get(index).tryComplete(new LaunchResult(request.launchId(), SOMEWHERE, new JsonObject()));
    }

    @Override
    public Future<Boolean> isAlive(String kernelId) {
      calls.add("isAlive");
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> signal(String kernelId, int signum) {
      return Future.succeededFuture();
    }

    @Override
    public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
      calls.add("waitForExit");
      return Future.succeededFuture(true);
    }

    @Override
    public Future<Void> kill(String kernelId) {
      calls.add("kill");
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> cleanup(String kernelId) {
      calls.add("cleanup");
      return Future.succeededFuture();
    }
  }

  @TempDir
  Path specs;

  private Vertx vertx;
  private final ScriptedProxy proxy = new ScriptedProxy();

  @BeforeEach
  void deploy() throws Exception {
    Path spec = Files.createDirectories(specs.resolve("scripted"));
    Files.writeString(spec.resolve("kernel.json"), new JsonObject().put("argv", new JsonArray().add("run-me")).put("display_name", "scripted")
        .put("language", "python").put("metadata", new JsonObject().put("process_proxy", new JsonObject().put("class_name", "scripted")))
        .encode());
    vertx = Vertx.vertx();
    BusCodecs.register(vertx);
    // A ZMQ bridge with nothing behind it: connected and ready at once, every request answered.
    for (String address : List.of(Addresses.ZMQ_CONNECT, Addresses.ZMQ_DISCONNECT, Addresses.ZMQ_AWAIT_READY, Addresses.ZMQ_REQUEST)) {
      JsonBus.answer(vertx, address, body -> Future.succeededFuture(new JsonObject())).await(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    ProxyEndpoint.expose(vertx, "scripted", proxy).await(WAIT_SECONDS, TimeUnit.SECONDS);
    GatewayConfig config = GatewayConfig.defaults(Map.of("PATH", "/usr/bin:/bin"))
        .with(Setting.KERNELSPEC_DIRS, new JsonArray().add(specs.toString()))
        .with(Setting.PERSIST_KERNELS, false)
        .with(Setting.SHUTDOWN_WAIT, 1)
        .with(Setting.RUNTIME_DIR, specs.resolve("runtime").toString());
    vertx.deployVerticle(new KernelVerticle(new KernelOwners(vertx, Replica.starting("lifecycle-test")), new GatewayMetrics().kernels()), new DeploymentOptions().setConfig(config.toJson())).await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @AfterEach
  void close() throws Exception {
    vertx.close().await(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return JsonBus.request(vertx, address, body, WAIT_SECONDS * 1000);
  }

  private Future<JsonObject> start() {
    return call(Addresses.KERNEL_START, new JsonObject().put("name", "scripted").put("env", new JsonObject().put("KERNEL_USERNAME", "tester")));
  }

  private static JsonObject id(String kernelId) {
    return new JsonObject().put("kernel_id", kernelId);
  }

  private void awaitLaunches(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
    while (proxy.launches.size() < count) {
      assertThat(System.currentTimeMillis()).as("%d launches asked of the proxy", count).isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private static int statusOf(Future<?> outcome) {
    outcome.toCompletionStage().toCompletableFuture().handle((result, failure) -> null).join();
    return outcome.failed() && outcome.cause() instanceof GatewayException known ? known.status() : outcome.succeeded() ? 200 : 500;
  }

  /** Polls the model until the kernel runs again (idle). */
  private void awaitIdle(String kernelId) throws Exception {
    long deadline = System.currentTimeMillis() + WAIT_SECONDS * 1000;
    while (!"idle".equals(call(Addresses.KERNEL_GET, id(kernelId)).await(WAIT_SECONDS, TimeUnit.SECONDS).getString("execution_state"))) {
      assertThat(System.currentTimeMillis()).as("running again").isLessThan(deadline);
      Thread.sleep(5);
    }
  }

  private String running() throws Exception {
    Future<JsonObject> started = start();
    awaitLaunches(1);
    proxy.finishLaunch(0);
    return started.await(WAIT_SECONDS, TimeUnit.SECONDS).getString("id");
  }

  /** Verifies that a delete during a launch answers the start 410, stops what the launch made, and leaves no kernel. */
  @Test
  void aDeleteDuringTheLaunchWinsAndTheLateLaunchIsStopped() throws Exception {
    Future<JsonObject> started = start();
    awaitLaunches(1);
    String kernelId = proxy.launches.get(0).kernelId();

    Future<JsonObject> deleted = call(Addresses.KERNEL_SHUTDOWN, id(kernelId));
    proxy.finishLaunch(0);

    assertThat(statusOf(started)).isEqualTo(410);
    assertThat(statusOf(deleted)).isEqualTo(200);
    assertThat(statusOf(call(Addresses.KERNEL_GET, id(kernelId)))).isEqualTo(404);
    assertThat(proxy.calls).as("the launch is cut short, then what it made is stopped").contains("kill", "cleanup");
    assertThat(proxy.launches).hasSize(1);
  }

  /** Verifies that a second restart during the first waits for it: one relaunch, the same answer for both. */
  @Test
  void aRestartDuringARestartWaitsForIt() throws Exception {
    String kernelId = running();
    Future<JsonObject> first = call(Addresses.KERNEL_RESTART, id(kernelId));
    awaitLaunches(2);
    Future<JsonObject> second = call(Addresses.KERNEL_RESTART, id(kernelId));
    proxy.finishLaunch(1);

    assertThat(first.await(WAIT_SECONDS, TimeUnit.SECONDS).getString("id")).isEqualTo(kernelId);
    assertThat(second.await(WAIT_SECONDS, TimeUnit.SECONDS).getString("id")).isEqualTo(kernelId);
    assertThat(proxy.launches).as("one relaunch for both requests").hasSize(2);
  }

  /** Verifies that a delete during a restart ends the kernel: the restart fails, nothing is launched after. */
  @Test
  void aDeleteDuringARestartEndsTheKernel() throws Exception {
    String kernelId = running();
    Future<JsonObject> restart = call(Addresses.KERNEL_RESTART, id(kernelId));
    awaitLaunches(2);
    Future<JsonObject> deleted = call(Addresses.KERNEL_SHUTDOWN, id(kernelId));
    proxy.finishLaunch(1);

    assertThat(statusOf(deleted)).isEqualTo(200);
    assertThat(statusOf(restart)).isEqualTo(500);
    assertThat(statusOf(call(Addresses.KERNEL_GET, id(kernelId)))).isEqualTo(404);
    assertThat(proxy.launches).hasSize(2);
  }

  /** Verifies that an exit of the running kernel starts an automatic restart under the same id, which ends running. */
  @Test
  void anExitRestartsTheKernelAutomatically() throws Exception {
    String kernelId = running();
    vertx.eventBus().publish(Addresses.PROXY_KERNEL_EXITED, new JsonObject().put("kernel_id", kernelId)
        .put("launch_id", proxy.launches.get(0).launchId()).put("exit_code", 137));
    awaitLaunches(2);
    assertThat(call(Addresses.KERNEL_GET, id(kernelId)).await(WAIT_SECONDS, TimeUnit.SECONDS).getString("execution_state"))
        .isEqualTo("restarting");
    proxy.finishLaunch(1);

    awaitIdle(kernelId);
    assertThat(proxy.launches.get(1).kernelId()).isEqualTo(kernelId);
  }

  /** Verifies that the exit report of a process a restart replaced is not taken for the new one's. */
  @Test
  void aLateExitOfTheOldProcessIsIgnored() throws Exception {
    String kernelId = running();
    call(Addresses.KERNEL_RESTART, id(kernelId));
    awaitLaunches(2);
    proxy.finishLaunch(1);
    awaitIdle(kernelId);

    vertx.eventBus().publish(Addresses.PROXY_KERNEL_EXITED, new JsonObject().put("kernel_id", kernelId)
        .put("launch_id", proxy.launches.get(0).launchId()).put("exit_code", 0));
    // The report is handled in order on the lifecycle's event loop: a GET after it sees its effect, if any.
    assertThat(call(Addresses.KERNEL_GET, id(kernelId)).await(WAIT_SECONDS, TimeUnit.SECONDS).getString("execution_state")).isEqualTo("idle");
    assertThat(proxy.launches).as("no restart for the old process's exit").hasSize(2);
  }
}
