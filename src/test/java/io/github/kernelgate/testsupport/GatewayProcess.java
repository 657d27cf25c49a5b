package io.github.kernelgate.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as its own process, run as the README runs it ({@code MALLOC_ARENA_MAX=2 java @conf/jvm.options -jar
 * target/kernelgate.jar}): its RSS and CPU time
 * can be read from /proc, and it can be killed the hard way.
 */
public final class GatewayProcess implements AutoCloseable {

  private final Process process;
  private final int port;
  /** Set between {@link #freeze()} and {@link #thaw()}: a stopped process ignores SIGTERM until continued. */
  private volatile boolean frozen;

  private GatewayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts it with {@code env} on a free port, logging to {@code target/bench-gateway.log}; answers once it serves. */
  public static GatewayProcess start(Map<String, String> env) throws Exception {
    return start(env, new File("target/bench-gateway.log"));
  }

  public static GatewayProcess start(Map<String, String> env, File log) throws Exception {
    int port = FreePorts.pick();
    ProcessBuilder builder = new ProcessBuilder("java", "@conf/jvm.options", "-jar", "target/kernelgate.jar")
        .redirectErrorStream(true).redirectOutput(log);
    builder.environment().put("MALLOC_ARENA_MAX", "2");
    builder.environment().putAll(env);
    builder.environment().put("EG_PORT", String.valueOf(port));
    GatewayProcess gateway = new GatewayProcess(builder.start(), port);
    long deadline = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < deadline) {
      try {
        if (gateway.http().get("/api").status() == 200) {
          return gateway;
        }
      } catch (RuntimeException notYet) {
        Thread.sleep(200);
      }
    }
    gateway.close();
    throw new IllegalStateException("gateway did not start; see " + log);
  }

  public int port() {
    return port;
  }

  public Http http() {
    return new Http(port, null);
  }

  /** Resident set size in MiB, from /proc/PID/status. */
  public double rssMib() throws IOException {
    return statusMib("VmRSS:");
  }

  /** The highest resident set size since the start or the last {@link #resetPeakRss}, in MiB. */
  public double peakRssMib() throws IOException {
    return statusMib("VmHWM:");
  }

  /** Starts measuring {@link #peakRssMib} afresh (Linux: writing 5 to clear_refs resets the high-water mark). */
  public void resetPeakRss() throws IOException {
    Files.writeString(Path.of("/proc/" + process.pid() + "/clear_refs"), "5");
  }

  private double statusMib(String field) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
      if (line.startsWith(field)) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
      }
    }
    return Double.NaN;
  }

  /** User + system CPU seconds used so far, from /proc/PID/stat (clock ticks of 1/100 s). */
  public double cpuSeconds() throws IOException {
    return ticks(Path.of("/proc/" + process.pid() + "/stat")) / 100.0;
  }

  /** The same without the JIT compiler threads: the gateway's own work once warm. */
  public double cpuSecondsWithoutJit() throws IOException {
    long ticks = 0;
    try (var tasks = Files.list(Path.of("/proc/" + process.pid() + "/task"))) {
      for (Path task : tasks.toList()) {
        try {
          if (!Files.readString(task.resolve("comm")).contains("Compiler")) {
            ticks += ticks(task.resolve("stat"));
          }
        } catch (IOException threadEnded) {
          // A thread that ended between list and read.
        }
      }
    }
    return ticks / 100.0;
  }

  private static long ticks(Path stat) throws IOException {
    String text = Files.readString(stat);
    List<String> fields = List.of(text.substring(text.lastIndexOf(')') + 2).split(" "));
    return Long.parseLong(fields.get(11)) + Long.parseLong(fields.get(12));
  }

  /** SIGSTOP: the gateway hangs where it is, its sockets still open; only {@link #kill()} ends it then. */
  public void freeze() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-STOP", String.valueOf(process.pid())).inheritIO().start().waitFor();
    frozen = true;
  }

  /** SIGCONT: a frozen gateway goes on where it stopped. */
  public void thaw() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-CONT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    frozen = false;
  }

  /** SIGKILL: the gateway gets no chance to stop its kernels. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /**
   * Stops it as an operator would (SIGTERM: it removes its kernels), thawing it first when a test
   * that froze it failed before thawing; one that does not end within a minute is killed, so a
   * failed test never hangs the build.
   */
  @Override
  public void close() throws InterruptedException {
    if (frozen && process.isAlive()) {
      try {
        thaw();
      } catch (IOException cannotSignal) {
        process.destroyForcibly();
      }
    }
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
