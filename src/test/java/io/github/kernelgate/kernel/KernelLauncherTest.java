package io.github.kernelgate.kernel;

import io.github.kernelgate.ops.GatewayMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusCodecs;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.github.kernelgate.zmq.ZmqBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Verifies the order of a kernel's shutdown against a scripted proxy and a scripted ZMQ bridge. */
class KernelLauncherTest {

  private static final long SHUTDOWN_WAIT_MILLIS = 60_000;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  /**
   * Verifies that the proxy releases the comm port and waits for the exit as soon as
   * shutdown_request is sent, not after its reply: EG's launchers need {"shutdown": 1} while
   * their listener still runs, and the kernel ends that listener when it handles the request.
   */
  @Test
  void theCommPortIsReleasedWithoutWaitingForTheShutdownReply() throws Exception {
    BusCodecs.register(vertx);
    CompletableFuture<Message<JsonObject>> shutdownRequest = new CompletableFuture<>();
    // The kernel never answers: a reply would only come after the listener is gone.
    vertx.eventBus().<JsonObject>consumer(Addresses.ZMQ_REQUEST, shutdownRequest::complete).completion().await();
    CompletableFuture<Void> exitAwaited = new CompletableFuture<>();
    ProcessProxy scripted = new ProcessProxy() {
      @Override
      public Future<LaunchResult> launch(LaunchRequest request) {
        return Future.failedFuture("not used");
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
        exitAwaited.complete(null);
        return Future.succeededFuture(true);
      }

      @Override
      public Future<Void> kill(String kernelId) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> cleanup(String kernelId) {
        return Future.succeededFuture();
      }
    };
    ProxyEndpoint.expose(vertx, "scripted", scripted).await();
    KernelSpec spec = new KernelSpec("demo", Path.of("/tmp"), new JsonObject().put("language", "python"), List.of());
    ManagedKernel kernel = new ManagedKernel("k1", spec, "scripted", "ada", Map.of(), null, 30_000);
    KernelLauncher launcher = new KernelLauncher(vertx, new ZmqBus(vertx), SHUTDOWN_WAIT_MILLIS, new GatewayMetrics().kernels());

    // Far less than the shutdown wait: the stop must not wait for the reply that never comes.
    launcher.stop(kernel, false).await(20, TimeUnit.SECONDS);
    assertThat(shutdownRequest.get(5, TimeUnit.SECONDS).body().getString("msg_type")).isEqualTo("shutdown_request");
    assertThat(exitAwaited).as("the proxy was asked to release the comm port and wait for the exit").isDone();
  }
}
