package io.github.kernelgate.proxy;

import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs KernelGate's kernel launcher as a local process: the same handshake a container makes,
 * without Docker. The kernelspec's argv is the kernel's own command (with
 * {@code {connection_file}}), handed to the launcher after {@code --}; a spec may replace the
 * launcher command itself with {@code metadata.process_proxy.config.launcher}.
 */
final class LauncherRuntime implements KernelRuntime {

  private final Vertx vertx;
  private final Path runtimeDir;
  private final List<String> launcherCommand;
  private final Map<String, String> baseEnvironment;
  private final LocalProcesses processes;
  private ExitListener exitListener;

  LauncherRuntime(Vertx vertx, Path runtimeDir, List<String> launcherCommand, Map<String, String> baseEnvironment, String instanceId) {
    this.vertx = vertx;
    this.runtimeDir = runtimeDir;
    this.launcherCommand = List.copyOf(launcherCommand);
    this.baseEnvironment = Map.copyOf(baseEnvironment);
    this.processes = new LocalProcesses(vertx, new ProcessRecords(runtimeDir, "launcher", instanceId));
  }

  /** It always runs KernelGate's launcher, which returns the launch secret. */
  @Override
  public boolean mayRunLaunchersWithoutSecret() {
    return false;
  }

  @Override
  public void setExitListener(ExitListener listener) {
    this.exitListener = listener;
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    List<String> argv = new ArrayList<>(launcherCommand(request.spec()));
    argv.add("--");
    argv.addAll(request.argv());
    Map<String, String> processEnv = new HashMap<>(baseEnvironment);
    processEnv.putAll(env);
    return vertx.executeBlocking(() -> {
      Files.createDirectories(runtimeDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      return processes.start(request.kernelId(), argv, processEnv, request.workingDir(), logFile(request.kernelId()),
          (exitCode, logTail) -> exitListener.exited(request.kernelId(), exitCode, logTail)).toJson();
    }, false);
  }

  private Path logFile(String kernelId) {
    return runtimeDir.resolve("launcher-" + kernelId + ".log");
  }

  /** Takes over a launcher (with its kernel) that an earlier gateway started, found by pid and start time. */
  @Override
  public Future<Boolean> adopt(String kernelId, JsonObject started) {
    return ProcessIdentity.fromJson(started).map(process -> vertx.executeBlocking(() -> processes.adopt(kernelId, process, logFile(kernelId),
        (exitCode, logTail) -> exitListener.exited(kernelId, exitCode, logTail)), false)).orElseGet(() -> Future.succeededFuture(false));
  }

  private List<String> launcherCommand(JsonObject spec) {
    JsonObject config = spec.getJsonObject("metadata", new JsonObject()).getJsonObject("process_proxy", new JsonObject())
        .getJsonObject("config", new JsonObject());
    if (config.getValue("launcher") instanceof JsonArray custom && !custom.isEmpty()) {
      List<String> command = new ArrayList<>();
      custom.forEach(part -> command.add(String.valueOf(part)));
      return command;
    }
    return launcherCommand;
  }

  /**
   * A local launcher is always reached on loopback. One that already died is not reported here:
   * its exit (code and log tail) fails the launch with the reason, which a check here could race.
   */
  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    return Future.succeededFuture("127.0.0.1");
  }

  @Override
  public Future<Boolean> isRunning(String kernelId) {
    return Future.succeededFuture(processes.isAlive(kernelId));
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return processes.waitForExit(kernelId, timeoutMillis);
  }

  @Override
  public Future<Void> remove(String kernelId) {
    return processes.kill(kernelId).transform(killed -> processes.remove(kernelId));
  }

  /** Kills every launcher but those of {@code kept}, left for the next gateway (gateway shutdown). Blocking. */
  void killAllBut(Set<String> kept) {
    processes.killAllBut(kept);
  }

  /** Launchers (and their kernels) left running by a killed gateway and not to be taken over: logged, or removed when {@code remove}. Blocking. */
  void handleOrphans(boolean remove, Set<String> toTakeOver) throws IOException, InterruptedException {
    processes.handleOrphans(remove, toTakeOver);
  }
}
