package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.KernelExits;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
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
import java.util.Set;
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
  private final LocalPorts ports = LocalPorts.shared();

  public LocalProcessProxy(Vertx vertx, Path runtimeDir, Map<String, String> baseEnvironment, String instanceId) {
    this.vertx = vertx;
    this.runtimeDir = runtimeDir;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.processes = new LocalProcesses(vertx, new ProcessRecords(runtimeDir, "kernel", instanceId));
  }

  /** Kernels left running by a killed gateway and not to be taken over: logged, or removed when {@code remove}. Blocking. */
  void handleOrphans(boolean remove, Set<String> toTakeOver) throws IOException, InterruptedException {
    processes.handleOrphans(remove, toTakeOver);
  }

  private void exited(String kernelId, String launchId, int exitCode, String logTail) {
    KernelExits.publish(vertx, kernelId, launchId, exitCode, logTail);
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
    ConnectionInfo info = LocalConnectionFile.allocate(ports, request.kernelId());
    Path connectionFile;
    try {
      connectionFile = LocalConnectionFile.write(runtimeDir, request.kernelId(), request.kernelName(), info);
    } catch (IOException failed) {
      ports.release(request.kernelId());
      throw failed;
    }
    List<String> argv = ArgvTemplate.substitute(request.argv(), Map.of("connection_file", connectionFile.toString()));
    Map<String, String> env = new HashMap<>(baseEnvironment);
    env.putAll(request.env());
    String launchId = request.launchId();
    launchIds.put(request.kernelId(), launchId);
    ProcessIdentity process;
    try {
      process = processes.start(request.kernelId(), argv, env, request.workingDir(), logFile(request.kernelId()),
          (exitCode, logTail) -> exited(request.kernelId(), launchId, exitCode, logTail));
    } catch (IOException | RuntimeException failed) {
      launchIds.remove(request.kernelId());
      ports.release(request.kernelId());
      Files.deleteIfExists(connectionFile);
      throw failed;
    }
    JsonObject processInfo = process.toJson().put("pgid", process.pid()).put("connection_file", connectionFile.toString());
    return new LaunchResult(launchId, info, processInfo);
  }

  private Path logFile(String kernelId) {
    return runtimeDir.resolve("kernel-" + kernelId + ".log");
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
   * Takes over a kernel process an earlier gateway started: it runs in its own session and writes
   * to its log file, so it outlived that gateway; found by pid and start time.
   */
  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return ProcessIdentity.fromJson(processInfo).map(process -> vertx.executeBlocking(() -> {
      boolean running = processes.adopt(kernelId, process, logFile(kernelId), (exitCode, logTail) -> exited(kernelId, launchId, exitCode, logTail));
      if (running) {
        launchIds.put(kernelId, launchId);
      }
      return running;
    }, false)).orElseGet(() -> Future.succeededFuture(false));
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    launchIds.remove(kernelId);
    ports.release(kernelId);
    Path connectionFile = runtimeDir.resolve("kernel-" + kernelId + ".json");
    return processes.remove(kernelId).compose(removed -> vertx.executeBlocking(() -> Files.deleteIfExists(connectionFile), false)).mapEmpty();
  }

  /** Kills every kernel this proxy runs but those of {@code kept}, left for the next gateway (gateway shutdown). Blocking. */
  void killAllBut(Set<String> kept) {
    processes.killAllBut(kept);
  }
}
