package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.protocol.ConnectionInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs kernels as local child processes started from the kernelspec's argv with a fresh
 * connection file. The environment is exactly what the lifecycle passes plus PATH/HOME-like
 * basics.
 */
public final class LocalProcessProxy implements ProcessProxy {

  private final Vertx vertx;
  private final Path runtimeDir;
  private final Map<String, String> baseEnvironment;
  private final LocalProcesses processes;
  private final Map<String, String> launchIds = new ConcurrentHashMap<>();

  public LocalProcessProxy(Vertx vertx, Path runtimeDir, Map<String, String> baseEnvironment) {
    this.vertx = vertx;
    this.runtimeDir = runtimeDir;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.processes = new LocalProcesses(vertx, new ProcessRecords(runtimeDir, "kernel"));
  }

  /** Kernels left running by a killed gateway: logged, or removed when {@code remove}. */
  public Future<Void> handleOrphans(boolean remove) {
    return vertx.executeBlocking(() -> {
      processes.handleOrphans(remove);
      return null;
    }, false);
  }

  private void exited(String kernelId, String launchId, int exitCode, String logTail) {
    vertx.eventBus().publish(Addresses.PROXY_KERNEL_EXITED, new JsonObject().put("kernel_id", kernelId)
        .put("launch_id", launchId).put("exit_code", exitCode).put("detail", logTail));
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    if (processes.contains(request.kernelId())) {
      return Future.failedFuture(GatewayException.internal("Kernel " + request.kernelId() + " is already running"));
    }
    return vertx.executeBlocking(() -> start(request), false);
  }

  private LaunchResult start(LaunchRequest request) throws IOException {
    Files.createDirectories(runtimeDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ConnectionInfo info = LocalConnectionFile.allocate();
    Path connectionFile = LocalConnectionFile.write(runtimeDir, request.kernelId(), request.kernelName(), info);
    List<String> argv = ArgvTemplate.substitute(request.argv(), Map.of("connection_file", connectionFile.toString()));
    Map<String, String> env = new HashMap<>(baseEnvironment);
    env.putAll(request.env());
    String launchId = request.launchId();
    launchIds.put(request.kernelId(), launchId);
    long pid;
    try {
      pid = processes.start(request.kernelId(), argv, env, request.workingDir(), runtimeDir.resolve("kernel-" + request.kernelId() + ".log"),
          (exitCode, logTail) -> exited(request.kernelId(), launchId, exitCode, logTail));
    } catch (IOException | RuntimeException failed) {
      launchIds.remove(request.kernelId());
      Files.deleteIfExists(connectionFile);
      throw failed;
    }
    JsonObject processInfo = new JsonObject().put("pid", pid).put("pgid", pid).put("connection_file", connectionFile.toString());
    return new LaunchResult(launchId, info, processInfo);
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return Future.succeededFuture(processes.isAlive(kernelId));
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    return processes.signal(kernelId, signum);
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return processes.waitForExit(kernelId, timeoutMillis);
  }

  @Override
  public Future<Void> kill(String kernelId) {
    return processes.kill(kernelId);
  }

  /**
   * Local processes are not taken over (yet): they are children of the gateway that started them,
   * with their exit code and log known only to it. A graceful stop stops them; after a crash the
   * next gateway finds them as orphans (KG_REMOVE_ORPHANS).
   */
  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return Future.succeededFuture(false);
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    launchIds.remove(kernelId);
    Path connectionFile = runtimeDir.resolve("kernel-" + kernelId + ".json");
    return processes.remove(kernelId).compose(removed -> vertx.executeBlocking(() -> Files.deleteIfExists(connectionFile), false)).mapEmpty();
  }

  /** Kills every kernel this proxy started (gateway shutdown). */
  public void killAll() {
    processes.killAll();
  }
}
