package io.github.kernelgate.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The Docker command-line client, for tests that run containers by hand (the gateway itself never shells out). */
public final class DockerCli {

  public static final String DOCKER = "/usr/bin/docker";
  /** Every container a test starts carries this label, so leftovers can be found and removed. */
  public static final String TEST_LABEL = "kernelgate.test=true";

  /** Output and exit code of one docker command. */
  public record Result(int exitCode, String output) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private DockerCli() {
  }

  public static Result run(String... args) {
    return run(List.of(args));
  }

  public static Result run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(DOCKER);
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "timed out: " + command);
      }
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(-1, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** The host-side address of the default bridge network: where containers reach the host. */
  public static String bridgeGateway() {
    Result result = run("network", "inspect", "bridge", "-f", "{{(index .IPAM.Config 0).Gateway}}");
    if (!result.ok()) {
      throw new IllegalStateException("docker is not usable: " + result.output());
    }
    return result.output();
  }

  /** Ids of the containers (running or not) that tests labelled. */
  public static List<String> testContainers() {
    Result result = run("ps", "-aq", "--filter", "label=" + TEST_LABEL);
    return result.output().isBlank() ? List.of() : List.of(result.output().split("\\s+"));
  }
}
