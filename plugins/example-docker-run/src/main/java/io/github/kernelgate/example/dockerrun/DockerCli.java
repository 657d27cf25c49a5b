package io.github.kernelgate.example.dockerrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The {@code docker} command line, run to completion. Blocking: call it from a worker thread. */
final class DockerCli {

  /** What a command printed (stdout and stderr together) and how it ended. */
  record Result(int exitCode, String output) {

    boolean ok() {
      return exitCode == 0;
    }
  }

  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  private final String executable;

  DockerCli(String executable) {
    this.executable = executable;
  }

  Result run(List<String> args) {
    Process process = start(args);
    try {
      // Read before waiting: a command that fills the pipe would otherwise never end.
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "docker " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT_SECONDS + " s");
      }
      return new Result(process.exitValue(), output.strip());
    } catch (IOException failed) {
      throw new UncheckedIOException(failed);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return new Result(-1, "interrupted");
    }
  }

  /** Starts a command that runs on (such as {@code docker wait}); its output is read by the caller. */
  Process start(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    try {
      return new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException failed) {
      throw new UncheckedIOException("cannot run " + executable, failed);
    }
  }
}
