package io.github.kernelgate.kernel;

import static io.github.kernelgate.kernel.KernelLogFields.about;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.ops.KernelMetrics;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.proxy.BusProcessProxy;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.zmq.ZmqBus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops a kernel's process through its proxy, and connects the ZMQ bridge to it.
 * A launch is done when the kernel answered kernel_info; whatever fails on the way leaves
 * nothing behind (process killed, files removed, sockets closed).
 */
final class KernelLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(KernelLauncher.class);

  private final Vertx vertx;
  private final ZmqBus zmq;
  private final long shutdownWaitMillis;
  private final Map<String, ProcessProxy> proxies = new HashMap<>();
  private final KernelMetrics metrics;

  KernelLauncher(Vertx vertx, ZmqBus zmq, long shutdownWaitMillis, KernelMetrics metrics) {
    this.vertx = vertx;
    this.zmq = zmq;
    this.shutdownWaitMillis = shutdownWaitMillis;
    this.metrics = metrics;
  }

  ProcessProxy proxyOf(ManagedKernel kernel) {
    return proxies.computeIfAbsent(kernel.proxyName, name -> new BusProcessProxy(vertx, name));
  }

  /** Launches (or relaunches) the kernel; completes once it answered kernel_info. */
  Future<Void> launch(ManagedKernel kernel) {
    ProcessProxy proxy = proxyOf(kernel);
    long deadline = System.currentTimeMillis() + kernel.launchTimeoutMillis;
    Promise<Void> startup = Promise.promise();
    kernel.startup = startup;
    kernel.launchId = UUID.randomUUID().toString();
    long began = System.nanoTime();
    return proxy.launch(request(kernel))
        .compose(result -> {
          if (result.launchId() != null) {
            // A plugin may name its launches itself; its exit reports then carry its own id.
            kernel.launchId = result.launchId();
          }
          kernel.launched = result;
          return zmq.connect(kernel.id, result.connectionInfo());
        })
        .compose(connected -> {
          long remaining = Math.max(1_000, deadline - System.currentTimeMillis());
          zmq.awaitReady(kernel.id, remaining)
              .onSuccess(ready -> startup.tryComplete())
              .onFailure(startup::tryFail);
          return startup.future();
        })
        .onComplete(done -> metrics.launched(kernel.spec.name(), Duration.ofNanos(System.nanoTime() - began), done.cause()))
        .recover(failure -> abandon(kernel, proxy).transform(cleaned -> Future.failedFuture(launchError(kernel, failure))));
  }

  private static LaunchRequest request(ManagedKernel kernel) {
    return LaunchRequests.forSpec(kernel.spec, kernel.id, kernel.launchId, kernel.env, kernel.path, kernel.launchTimeoutMillis);
  }

  private static GatewayException launchError(ManagedKernel kernel, Throwable failure) {
    GatewayException cause = BusErrors.toException(failure);
    if (cause.status() == 504) {
      String text = "KernelID: '" + kernel.id + "' launch timeout due to: " + cause.getMessage();
      return new GatewayException(500, text, text);
    }
    if (cause.status() < 500 && cause.status() != 404) {
      return cause;
    }
    String text = "Error starting kernel '" + kernel.id + "' (" + kernel.spec.name() + "): " + cause.getMessage();
    return new GatewayException(cause.status() == 503 ? 503 : 500, text, text);
  }

  /** Kills, cleans up and disconnects (a failed launch, a recorded kernel that is gone); never fails. */
  Future<Void> abandon(ManagedKernel kernel, ProcessProxy proxy) {
    return proxy.kill(kernel.id)
        .transform(killed -> proxy.cleanup(kernel.id))
        .transform(cleaned -> zmq.disconnect(kernel.id))
        .transform(done -> {
          if (done.failed()) {
            about(LOG.atWarn(), kernel)
                .log("cleanup of an abandoned kernel was incomplete: {}", done.cause().getMessage());
          }
          return Future.succeededFuture();
        });
  }

  /**
   * Stops the kernel's process: shutdown_request on control, a grace period, then kill; the
   * proxy's resources are released in any case. Sockets stay for a restart to re-point.
   */
  Future<Void> stop(ManagedKernel kernel, boolean restart) {
    ProcessProxy proxy = proxyOf(kernel);
    return proxy.isAlive(kernel.id)
        .compose(alive -> alive ? askToShutDown(kernel, proxy, restart) : Future.succeededFuture(true))
        .compose(exited -> exited ? Future.<Void>succeededFuture() : proxy.kill(kernel.id))
        .transform(stopped -> {
          if (stopped.failed()) {
            about(LOG.atWarn(), kernel).log("kernel did not stop cleanly: {}", stopped.cause().getMessage());
          }
          return proxy.cleanup(kernel.id);
        })
        .recover(failure -> {
          about(LOG.atWarn(), kernel).log("kernel cleanup failed: {}", failure.getMessage());
          return Future.succeededFuture();
        });
  }

  /**
   * Sends shutdown_request and, without waiting for its reply, lets the proxy release the comm
   * port and wait for the exit (EG's order). EG's own launchers keep their process alive until
   * the comm port hears {@code {"shutdown": 1}}, and the kernel kills that listener as soon as it
   * handles the request: after the reply it would be too late, and the exit would wait out the grace.
   */
  private Future<Boolean> askToShutDown(ManagedKernel kernel, ProcessProxy proxy, boolean restart) {
    zmq.request(kernel.id, Channel.CONTROL, "shutdown_request", new JsonObject().put("restart", restart), shutdownWaitMillis)
        .onFailure(noReply -> about(LOG.atDebug(), kernel)
            .log("no shutdown_reply: {}", noReply.getMessage()));
    return proxy.waitForExit(kernel.id, shutdownWaitMillis);
  }

  Future<Void> disconnect(ManagedKernel kernel) {
    return zmq.disconnect(kernel.id).recover(failure -> Future.succeededFuture());
  }
}
