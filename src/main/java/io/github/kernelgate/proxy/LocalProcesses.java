package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Child processes of the gateway, one per kernel: each in its own session and process group
 * ({@code setsid}) so signals reach the kernel's whole group and never the gateway; an exact
 * environment (never the gateway's own); output in a log file whose tail explains an early exit.
 * Each process is recorded ({@link ProcessRecords}), so the next gateway of the same instance can
 * take it over after a restart or a crash. Used by the local proxy (kernels) and the launcher
 * proxy (kernel launchers).
 */
final class LocalProcesses {

  private static final Logger LOG = LoggerFactory.getLogger(LocalProcesses.class);
  private static final String SETSID = "/usr/bin/setsid";
  private static final int LOG_TAIL_BYTES = 2_000;
  private static final int LOG_TAIL_LINES = 5;

  /** What an exit listener hears when a process taken over from an earlier gateway ends: its code is not known. */
  static final int UNKNOWN_EXIT_CODE = -1;

  /** Told when a process ends, unless it was replaced or removed first: exit code and the last lines of its log. */
  interface ExitListener {
    void exited(int exitCode, String logTail);
  }

  /** One process; {@code ended} completes after its exit was reported, so waiting for it never overtakes the report. */
  private record Child(ProcessHandle process, ProcessIdentity identity, Path logFile, CompletableFuture<?> ended) {
  }

  private final Vertx vertx;
  private final ProcessRecords records;
  private final Map<String, Child> children = new ConcurrentHashMap<>();

  LocalProcesses(Vertx vertx, ProcessRecords records) {
    this.vertx = vertx;
    this.records = records;
  }

  boolean contains(String kernelId) {
    return children.containsKey(kernelId);
  }

  /**
   * Starts {@code argv} for a kernel. Blocking: call on a worker. Answers the process's identity.
   * {@code onExit} hears of this process's end only while it is still the kernel's current
   * process, so the late exit of a process replaced by a restart is never mistaken for the new one's.
   */
  ProcessIdentity start(String kernelId, List<String> argv, Map<String, String> env, String workingDir, Path logFile,
                        ExitListener onExit) throws IOException {
    if (argv.isEmpty()) {
      throw GatewayException.internal("Kernel " + kernelId + " has an empty argv");
    }
    boolean ownGroup = new File(SETSID).canExecute();
    List<String> command = new ArrayList<>();
    if (ownGroup) {
      command.add(SETSID);
    }
    command.addAll(argv);
    // Output goes to a file, not a pipe: a kernel must keep running (and writing) when the gateway dies.
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()))
        .directory(workingDirectory(workingDir));
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException cannotStart) {
      throw GatewayException.internal("Cannot start " + argv.get(0) + ": " + cannotStart.getMessage());
    }
    ProcessIdentity identity = ProcessIdentity.of(process.toHandle(), ownGroup);
    watch(kernelId, process.toHandle(), identity, logFile, process.onExit().thenApply(Process::exitValue), onExit);
    LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("pid", process.pid()).addKeyValue("argv", argv)
        .log("process started");
    return identity;
  }

  /**
   * Takes over a process an earlier gateway started, if it still runs (the same pid and start
   * time). Blocking: call on a worker. Its exit is seen, but not its exit code: it is not our child.
   */
  boolean adopt(String kernelId, ProcessIdentity identity, Path logFile, ExitListener onExit) {
    Optional<ProcessHandle> running = identity.find();
    if (running.isEmpty()) {
      LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("pid", identity.pid()).log("recorded process is gone");
      return false;
    }
    watch(kernelId, running.get(), identity, logFile, running.get().onExit().thenApply(ended -> UNKNOWN_EXIT_CODE), onExit);
    LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("pid", identity.pid()).log("process taken over");
    return true;
  }

  private void watch(String kernelId, ProcessHandle process, ProcessIdentity identity, Path logFile, CompletableFuture<Integer> exitCode,
                     ExitListener onExit) {
    // The exit is reported before anyone waiting for it resumes (and, say, starts a restart whose
    // launch a late report of this old process would otherwise fail).
    CompletableFuture<Void> ended = new CompletableFuture<>();
    Child child = new Child(process, identity, logFile, ended);
    children.put(kernelId, child);
    try {
      records.write(kernelId, identity);
    } catch (IOException unwritable) {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).log("no process record written: this kernel cannot be found again"
          + " if the gateway is killed: {}", unwritable.getMessage());
    }
    exitCode.thenAccept(code -> {
      try {
        LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("pid", process.pid())
            .addKeyValue("exit_code", code == UNKNOWN_EXIT_CODE ? "unknown" : code).log("process exited");
        if (children.get(kernelId) == child) {
          onExit.exited(code, tail(logFile));
        }
      } finally {
        ended.complete(null);
      }
    });
  }

  private static File workingDirectory(String requested) {
    if (requested != null && new File(requested).isDirectory()) {
      return new File(requested);
    }
    return new File(System.getProperty("user.home"));
  }

  private static String tail(Path logFile) {
    try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
      long start = Math.max(0, file.length() - LOG_TAIL_BYTES);
      byte[] bytes = new byte[(int) (file.length() - start)];
      file.seek(start);
      file.readFully(bytes);
      String[] lines = new String(bytes, StandardCharsets.UTF_8).strip().split("\n");
      return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - LOG_TAIL_LINES), lines.length));
    } catch (IOException unreadable) {
      return "";
    }
  }

  boolean isAlive(String kernelId) {
    Child child = children.get(kernelId);
    return child != null && child.process().isAlive();
  }

  /** Signals the process's group (or the process when it has no group of its own). */
  Future<Void> signal(String kernelId, int signum) {
    Child child = children.get(kernelId);
    if (child == null) {
      return Future.failedFuture(GatewayException.notFound("No process for kernel " + kernelId));
    }
    if (signum == 0) {
      return child.process().isAlive() ? Future.succeededFuture() : Future.failedFuture(GatewayException.notFound("Kernel process has ended"));
    }
    return vertx.executeBlocking(() -> {
      if (!kill(signum, child.identity())) {
        LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("signum", signum).log("signal not delivered");
      }
      return null;
    }, false);
  }

  /** Java cannot send SIGINT itself; kill(1) can, to the whole process group. Blocking. */
  private static boolean kill(int signum, ProcessIdentity process) throws IOException, InterruptedException {
    String target = process.ownGroup() ? "-" + process.pid() : String.valueOf(process.pid());
    Process kill = new ProcessBuilder("kill", "-" + signum, "--", target).redirectErrorStream(true).start();
    return kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0;
  }

  /**
   * Kernel processes left running by a killed gateway of this instance and recorded for no kernel
   * to take over ({@code toTakeOver}): logged, or killed with their process group when
   * {@code remove} (KG_REMOVE_ORPHANS). Blocking: call on a worker at start.
   */
  void handleOrphans(boolean remove, Set<String> toTakeOver) throws IOException, InterruptedException {
    for (ProcessRecords.Orphan orphan : records.orphans(toTakeOver)) {
      long pid = orphan.process().pid();
      if (!remove) {
        LOG.atWarn().addKeyValue("kernel_id", orphan.kernelId()).addKeyValue("pid", pid)
            .log("unknown local kernel process found; set KG_REMOVE_ORPHANS=true to remove such leftovers at start");
        continue;
      }
      if (kill(9, orphan.process())) {
        LOG.atInfo().addKeyValue("kernel_id", orphan.kernelId()).addKeyValue("pid", pid)
            .log("orphaned local kernel process removed");
        records.forget(orphan);
      } else {
        LOG.atWarn().addKeyValue("kernel_id", orphan.kernelId()).addKeyValue("pid", pid)
            .log("orphaned local kernel process could not be killed");
      }
    }
  }

  Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    Child child = children.get(kernelId);
    if (child == null || !child.process().isAlive()) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> exited = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), fired -> exited.tryComplete(false));
    child.ended().whenComplete((done, failure) -> {
      vertx.cancelTimer(timer);
      exited.tryComplete(true);
    });
    return exited.future();
  }

  /** SIGKILL to the group, then waits for the exit. */
  Future<Void> kill(String kernelId) {
    Child child = children.get(kernelId);
    if (child == null || !child.process().isAlive()) {
      return Future.succeededFuture();
    }
    return signal(kernelId, 9)
        .compose(sent -> waitForExit(kernelId, 5_000))
        .compose(exited -> {
          if (!exited) {
            child.process().destroyForcibly();
          }
          return Future.<Void>succeededFuture();
        });
  }

  /** Forgets the process (killing it if it still runs) and deletes its log. */
  Future<Void> remove(String kernelId) {
    Child child = children.remove(kernelId);
    if (child == null) {
      return Future.succeededFuture();
    }
    return vertx.executeBlocking(() -> {
      if (child.process().isAlive()) {
        child.process().destroyForcibly();
      }
      Files.deleteIfExists(child.logFile());
      records.delete(kernelId);
      return null;
    }, false);
  }

  /** Kills every process but those of {@code kept} (kernels left for the next gateway): gateway shutdown. Blocking. */
  void killAllBut(Set<String> kept) {
    children.forEach((kernelId, child) -> {
      if (!kept.contains(kernelId)) {
        child.process().destroyForcibly();
        records.delete(kernelId);
      }
    });
  }
}
