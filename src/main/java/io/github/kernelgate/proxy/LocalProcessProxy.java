package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.protocol.ConnectionInfo;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs kernels as local child processes. Each kernel gets its own session and process group
 * ({@code setsid}), so an interrupt reaches the kernel's whole group and never the gateway's.
 * The environment is exactly what the lifecycle passes plus PATH/HOME-like basics: never the
 * gateway's own environment. Output goes to a log file whose tail explains an early exit.
 */
public final class LocalProcessProxy implements ProcessProxy {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcessProxy.class);
  private static final String SETSID = "/usr/bin/setsid";
  private static final int LOG_TAIL_BYTES = 2_000;

  /** One running kernel process. */
  private record LocalKernel(String launchId, Process process, Path connectionFile, Path logFile, boolean ownGroup) {
  }

  private final Vertx vertx;
  private final Path runtimeDir;
  private final Map<String, String> baseEnvironment;
  private final Map<String, LocalKernel> kernels = new ConcurrentHashMap<>();

  public LocalProcessProxy(Vertx vertx, Path runtimeDir, Map<String, String> baseEnvironment) {
    this.vertx = vertx;
    this.runtimeDir = runtimeDir;
    this.baseEnvironment = Map.copyOf(baseEnvironment);
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    if (kernels.containsKey(request.kernelId())) {
      return Future.failedFuture(GatewayException.internal("Kernel " + request.kernelId() + " is already running"));
    }
    return vertx.executeBlocking(() -> start(request), false);
  }

  private LaunchResult start(LaunchRequest request) throws IOException {
    Files.createDirectories(runtimeDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    ConnectionInfo info = LocalConnectionFile.allocate();
    Path connectionFile = LocalConnectionFile.write(runtimeDir, request.kernelId(), request.kernelName(), info);
    List<String> argv = ArgvTemplate.substitute(request.argv(), Map.of("connection_file", connectionFile.toString()));
    if (argv.isEmpty()) {
      Files.deleteIfExists(connectionFile);
      throw GatewayException.internal("Kernel spec " + request.kernelName() + " has an empty argv");
    }
    boolean ownGroup = new File(SETSID).canExecute();
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      command.add(SETSID);
    }
    command.addAll(argv);
    Path logFile = runtimeDir.resolve("kernel-" + request.kernelId() + ".log");
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
        .directory(workingDirectory(request.workingDir()));
    Map<String, String> env = builder.environment();
    env.clear();
    env.putAll(baseEnvironment);
    env.putAll(request.env());
    Process process;
    try {
      process = builder.start();
    } catch (IOException cannotStart) {
      Files.deleteIfExists(connectionFile);
      throw GatewayException.internal("Cannot start kernel " + request.kernelName() + ": " + cannotStart.getMessage());
    }
    String launchId = UUID.randomUUID().toString();
    kernels.put(request.kernelId(), new LocalKernel(launchId, process, connectionFile, logFile, ownGroup));
    process.onExit().thenAccept(ended -> reportExit(request.kernelId(), launchId, ended, logFile));
    LOG.info("local kernel started [kernel_id={}, pid={}, argv={}]", request.kernelId(), process.pid(), argv);
    JsonObject processInfo = new JsonObject().put("pid", process.pid()).put("pgid", ownGroup ? process.pid() : 0)
        .put("connection_file", connectionFile.toString()).put("log_file", logFile.toString());
    return new LaunchResult(launchId, info, processInfo);
  }

  private static File workingDirectory(String requested) {
    if (requested != null && new File(requested).isDirectory()) {
      return new File(requested);
    }
    return new File(System.getProperty("user.home"));
  }

  // Runs on a JDK thread when the process ends.
  private void reportExit(String kernelId, String launchId, Process ended, Path logFile) {
    String detail = tail(logFile);
    LOG.info("local kernel exited [kernel_id={}, exit_code={}]", kernelId, ended.exitValue());
    vertx.eventBus().publish(Addresses.PROXY_KERNEL_EXITED, new JsonObject().put("kernel_id", kernelId)
        .put("launch_id", launchId).put("exit_code", ended.exitValue()).put("detail", detail));
  }

  private static String tail(Path logFile) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8).strip();
    } catch (IOException unreadable) {
      return "";
    }
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    LocalKernel kernel = kernels.get(kernelId);
    return Future.succeededFuture(kernel != null && kernel.process().isAlive());
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    LocalKernel kernel = kernels.get(kernelId);
    if (kernel == null) {
      return Future.failedFuture(GatewayException.notFound("No local process for kernel " + kernelId));
    }
    if (signum == 0) {
      return kernel.process().isAlive() ? Future.succeededFuture() : Future.failedFuture(GatewayException.notFound("Kernel process has ended"));
    }
    // Java cannot send SIGINT itself; kill(1) can, to the kernel's own process group.
    String target = kernel.ownGroup() ? "-" + kernel.process().pid() : String.valueOf(kernel.process().pid());
    return vertx.executeBlocking(() -> {
      Process kill = new ProcessBuilder("kill", "-" + signum, "--", target).redirectErrorStream(true).start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        LOG.warn("signal not delivered [kernel_id={}, signum={}]", kernelId, signum);
      }
      return null;
    }, false);
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    LocalKernel kernel = kernels.get(kernelId);
    if (kernel == null || !kernel.process().isAlive()) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> exited = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), fired -> exited.tryComplete(false));
    kernel.process().onExit().thenAccept(ended -> {
      vertx.cancelTimer(timer);
      exited.tryComplete(true);
    });
    return exited.future();
  }

  @Override
  public Future<Void> kill(String kernelId) {
    LocalKernel kernel = kernels.get(kernelId);
    if (kernel == null || !kernel.process().isAlive()) {
      return Future.succeededFuture();
    }
    return signal(kernelId, 9)
        .compose(sent -> waitForExit(kernelId, 5_000))
        .compose(exited -> {
          if (!exited) {
            kernel.process().destroyForcibly();
          }
          return Future.<Void>succeededFuture();
        });
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    LocalKernel kernel = kernels.remove(kernelId);
    if (kernel == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      if (kernel.process().isAlive()) {
        kernel.process().destroyForcibly();
      }
      Files.deleteIfExists(kernel.connectionFile());
      Files.deleteIfExists(kernel.logFile());
      return null;
    }, false);
  }

  /** Kills every kernel this proxy started (gateway shutdown). Blocking. */
  public void killAll() {
    kernels.values().forEach(kernel -> kernel.process().destroyForcibly());
  }
}
