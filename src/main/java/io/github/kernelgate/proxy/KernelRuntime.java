package io.github.kernelgate.proxy;

import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Where a remote kernel's launcher runs: a local process, a Docker container, a swarm service.
 * {@link RemoteProcessProxy} does the handshake and the comm port; a runtime only starts,
 * locates, watches and removes what runs the launcher.
 */
public interface KernelRuntime {

  /** Told when what runs a kernel ended by itself. */
  interface ExitListener {
    void exited(String kernelId, int exitCode, String detail);
  }

  /**
   * Whether what this runtime starts may be a launcher that sends no launch secret (EG's own
   * kernel images): its payload is then accepted only from the kernel's address.
   */
  default boolean mayRunLaunchersWithoutSecret() {
    return true;
  }

  /** Set once by the proxy before the first start. */
  void setExitListener(ExitListener listener);

  /** Starts the launcher with exactly {@code env}; answers details worth keeping (ids, names). */
  Future<JsonObject> start(LaunchRequest request, Map<String, String> env);

  /** The address the kernel's ports are reachable at, once it runs; fails with the reason if it cannot run. */
  Future<String> awaitAddress(String kernelId, long timeoutMillis);

  Future<Boolean> isRunning(String kernelId);

  Future<Boolean> waitForExit(String kernelId, long timeoutMillis);

  /**
   * Takes over what an earlier gateway started, from the details {@link #start} answered then:
   * answers whether it still runs. A runtime that cannot answers false.
   */
  default Future<Boolean> adopt(String kernelId, JsonObject started) {
    return Future.succeededFuture(false);
  }

  /** Stops and removes it; done when it is gone. Safe to call twice. */
  Future<Void> remove(String kernelId);
}
