package io.github.kernelgate.plugin;

import io.vertx.core.json.JsonObject;
import io.vertx.core.Future;

/**
 * What the gateway needs from whatever runs a kernel: a local process, a container, a swarm
 * service or a plugin's own runtime. Every method is asynchronous and is answered over the event
 * bus: {@link ProxyEndpoint} answers a proxy's verbs, {@link ProxyClient} asks them. Methods are
 * called on an event loop and must not block it.
 *
 * <p>A proxy also reports, with {@link KernelExits#publish}, when a kernel it launched ends by
 * itself, with the launch id of the {@link LaunchRequest}, even if the launch has not been
 * answered yet. Failures a user should read are {@link ProxyFailure}s.
 */
public interface ProcessProxy {

  /** Starts the kernel and answers once its connection info is known. */
  Future<LaunchResult> launch(LaunchRequest request);

  /** Whether the kernel's process (or container) is still running. */
  Future<Boolean> isAlive(String kernelId);

  /** Delivers a signal (2 = interrupt, 0 = liveness probe) to the kernel. */
  Future<Void> signal(String kernelId, int signum);

  /**
   * Waits up to {@code timeoutMillis} for the kernel to end; true when it has ended. Called right
   * after shutdown_request was sent (not after its reply): a proxy with a launcher releases its
   * comm port here.
   */
  Future<Boolean> waitForExit(String kernelId, long timeoutMillis);

  /** Ends the kernel at once and waits until it is gone. */
  Future<Void> kill(String kernelId);

  /**
   * Takes over a kernel launched before this gateway (re)started, from what its
   * {@link LaunchResult} said: answers whether it still runs, and from then on answers for it as for
   * its own launches. A proxy that cannot take kernels over answers false (the default, so plugins
   * written before this verb keep working); the kernel is then cleaned up.
   */
  default Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return Future.succeededFuture(false);
  }

  /** Releases everything the launch created (files, containers). Safe to call twice. */
  Future<Void> cleanup(String kernelId);
}
