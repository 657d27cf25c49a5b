package io.github.kernelgate.example.dockerrun;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.KernelExits;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.plugin.ProxyFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs each kernel as {@code docker run <docker_run_options> <image_name> <argv>}, both read from
 * the kernelspec's {@code metadata.process_proxy.config}. The kernel's connection file travels in
 * the container's environment and is written inside it before the kernel starts; the kernel
 * listens on fixed ports of the container's own address, which the gateway connects to (so the
 * container must be on a network the gateway reaches: the default bridge when it runs on the
 * host). A {@code docker wait} per kernel notices a kernel that ends by itself.
 *
 * <p>Every docker command blocks, so each runs on a worker thread ({@code executeBlocking}).
 */
public final class DockerRunProxy implements ProcessProxy {

  /** Inside the container's own network namespace, so every kernel can use the same ones. */
  private static final int SHELL = 52001;
  private static final int IOPUB = 52002;
  private static final int STDIN = 52003;
  private static final int CONTROL = 52004;
  private static final int HEARTBEAT = 52005;
  private static final String CONNECTION_FILE = "/tmp/kernelgate-connection.json";
  /** Writes the connection file from the environment, then becomes the kernel ({@code "$@"}: the kernelspec's argv). */
  private static final String WRITE_CONNECTION_FILE_AND_RUN = "printf '%s' \"$KG_CONNECTION\" > " + CONNECTION_FILE + " && exec \"$@\"";
  private static final long KILL_WAIT_MILLIS = 15_000;

  /** A kernel this proxy started: its container, and the end of its {@code docker wait}. */
  private static final class RunningKernel {
    final String container;
    final String launchId;
    final CompletableFuture<Integer> exit;
    final Process waiter;
    /** Set when the gateway ends it (kill, cleanup): such an end is not reported as the kernel's own. */
    volatile boolean endedOnPurpose;

    RunningKernel(String container, String launchId, Process waiter) {
      this.container = container;
      this.launchId = launchId;
      this.waiter = waiter;
      this.exit = waiter.onExit().thenApply(DockerRunProxy::exitCodeOf);
    }
  }

  private final Vertx vertx;
  private final String proxyName;
  private final DockerCli docker;
  private final Map<String, RunningKernel> kernels = new ConcurrentHashMap<>();

  public DockerRunProxy(Vertx vertx, String proxyName, DockerCli docker) {
    this.vertx = vertx;
    this.proxyName = proxyName;
    this.docker = docker;
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    JsonObject config = request.spec().getJsonObject("metadata", new JsonObject())
        .getJsonObject("process_proxy", new JsonObject()).getJsonObject("config", new JsonObject());
    String image = config.getString("image_name", "");
    if (image.isBlank()) {
      return Future.failedFuture(ProxyFailure.badRequest("kernelspec " + request.kernelName() + " names no image_name in its process_proxy config"));
    }
    List<String> options;
    try {
      options = stringsOf(config.getValue("docker_run_options", new JsonArray()));
    } catch (IllegalArgumentException malformed) {
      return Future.failedFuture(ProxyFailure.badRequest("kernelspec " + request.kernelName() + ": docker_run_options " + malformed.getMessage()));
    }
    if (kernels.containsKey(request.kernelId())) {
      return Future.failedFuture(ProxyFailure.conflict("kernel " + request.kernelId() + " is already running"));
    }
    return vertx.executeBlocking(() -> start(request, image, options), false);
  }

  private LaunchResult start(LaunchRequest request, String image, List<String> options) {
    String key = UUID.randomUUID().toString();
    JsonObject connectionFile = new JsonObject().put("ip", "0.0.0.0").put("transport", "tcp")
        .put("shell_port", SHELL).put("iopub_port", IOPUB).put("stdin_port", STDIN).put("control_port", CONTROL).put("hb_port", HEARTBEAT)
        .put("key", key).put("signature_scheme", "hmac-sha256").put("kernel_name", request.kernelName());
    String name = containerName(request);
    List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name, "--label", "kernel_id=" + request.kernelId(),
        "--label", "kernelgate.proxy=" + proxyName, "--label", "kernelgate.launch_id=" + request.launchId(),
        "-e", "KG_CONNECTION=" + connectionFile.encode()));
    request.env().forEach((variable, value) -> {
      if (variable.startsWith("KERNEL_")) {
        run.addAll(List.of("-e", variable + "=" + value));
      }
    });
    run.addAll(options);
    run.addAll(List.of("--entrypoint", "/bin/sh", image, "-c", WRITE_CONNECTION_FILE_AND_RUN, "kernel"));
    request.argv().forEach(argument -> run.add(argument.replace("{connection_file}", CONNECTION_FILE)));

    DockerCli.Result started = docker.run(run);
    if (!started.ok()) {
      removeContainersOf(request.kernelId());
      throw ProxyFailure.internal("docker run failed for kernel " + request.kernelId() + ": " + started.output());
    }
    String container = lastLine(started.output());
    DockerCli.Result address = docker.run(List.of("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}", container));
    String ip = address.ok() && !address.output().isBlank() ? address.output().split(" ")[0] : "";
    if (ip.isBlank()) {
      removeContainersOf(request.kernelId());
      throw ProxyFailure.badRequest("the container of kernel " + request.kernelId()
          + " has no address of its own (docker_run_options with --network host are not supported): " + address.output());
    }
    track(request.kernelId(), container, request.launchId());
    ConnectionInfo info = new ConnectionInfo(ip, "tcp", SHELL, IOPUB, STDIN, CONTROL, HEARTBEAT, key, "hmac-sha256");
    return new LaunchResult(request.launchId(), info, new JsonObject().put("container_id", container).put("ip", ip));
  }

  private RunningKernel track(String kernelId, String container, String launchId) {
    RunningKernel kernel = new RunningKernel(container, launchId, docker.start(List.of("wait", container)));
    kernels.put(kernelId, kernel);
    kernel.exit.thenAccept(exitCode -> {
      if (!kernel.endedOnPurpose) {
        vertx.executeBlocking(() -> docker.run(List.of("logs", "--tail", "20", container)).output(), false)
            .onComplete(logs -> KernelExits.publish(vertx, kernelId, launchId, exitCode, logs.succeeded() ? logs.result() : ""));
      }
    });
    return kernel;
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return vertx.executeBlocking(() -> running(kernelId), false);
  }

  private boolean running(String kernelId) {
    RunningKernel kernel = kernels.get(kernelId);
    if (kernel == null) {
      return false;
    }
    DockerCli.Result state = docker.run(List.of("inspect", "-f", "{{.State.Running}}", kernel.container));
    return state.ok() && state.output().equals("true");
  }

  @Override
  public Future<Void> signal(String kernelId, int signum) {
    return vertx.executeBlocking(() -> {
      if (!running(kernelId)) {
        throw ProxyFailure.conflict("kernel " + kernelId + " is not running");
      }
      if (signum != 0) {
        DockerCli.Result sent = docker.run(List.of("kill", "--signal", String.valueOf(signum), kernels.get(kernelId).container));
        if (!sent.ok()) {
          throw ProxyFailure.internal("signal " + signum + " not delivered to kernel " + kernelId + ": " + sent.output());
        }
      }
      return null;
    }, false);
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    RunningKernel kernel = kernels.get(kernelId);
    if (kernel == null) {
      return Future.succeededFuture(true);
    }
    Promise<Boolean> exited = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, timeoutMillis), late -> exited.tryComplete(false));
    kernel.exit.whenComplete((code, failure) -> {
      vertx.cancelTimer(timer);
      exited.tryComplete(true);
    });
    return exited.future();
  }

  @Override
  public Future<Void> kill(String kernelId) {
    RunningKernel kernel = kernels.get(kernelId);
    if (kernel == null) {
      return Future.succeededFuture();
    }
    kernel.endedOnPurpose = true;
    // "docker kill" fails for a container that already stopped: it is gone either way.
    return vertx.executeBlocking(() -> docker.run(List.of("kill", kernel.container)), false)
        .compose(killed -> waitForExit(kernelId, KILL_WAIT_MILLIS))
        .compose(exited -> exited ? Future.succeededFuture()
            : Future.failedFuture(ProxyFailure.internal("kernel " + kernelId + " still runs after docker kill")));
  }

  /** Removes the kernel's containers by label, so that it also finds one this process never tracked (a gateway restart). */
  @Override
  public Future<Void> cleanup(String kernelId) {
    RunningKernel kernel = kernels.remove(kernelId);
    if (kernel != null) {
      kernel.endedOnPurpose = true;
      kernel.waiter.destroy();
    }
    return vertx.executeBlocking(() -> {
      removeContainersOf(kernelId);
      return null;
    }, false);
  }

  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    String container = processInfo.getString("container_id", "");
    if (container.isBlank()) {
      return Future.succeededFuture(false);
    }
    return vertx.executeBlocking(() -> {
      DockerCli.Result state = docker.run(List.of("inspect", "-f", "{{.State.Running}}", container));
      if (!state.ok() || !state.output().equals("true")) {
        return false;
      }
      track(kernelId, container, launchId);
      return true;
    }, false);
  }

  private void removeContainersOf(String kernelId) {
    DockerCli.Result found = docker.run(List.of("ps", "-aq", "--filter", "label=kernel_id=" + kernelId,
        "--filter", "label=kernelgate.proxy=" + proxyName));
    if (!found.ok()) {
      throw ProxyFailure.unavailable("cannot list the containers of kernel " + kernelId + ": " + found.output());
    }
    for (String container : found.output().lines().filter(line -> !line.isBlank()).toList()) {
      DockerCli.Result removed = docker.run(List.of("rm", "-f", container));
      if (!removed.ok() && !removed.output().contains("No such container")) {
        throw ProxyFailure.internal("cannot remove container " + container + " of kernel " + kernelId + ": " + removed.output());
      }
    }
  }

  /** {@code <user>-<kernel id>}, as KernelGate's own container proxy names them. */
  private static String containerName(LaunchRequest request) {
    String user = request.env().getOrDefault("KERNEL_USERNAME", "").toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]", "");
    return (user.isEmpty() ? "kernel" : user) + "-" + request.kernelId();
  }

  private static List<String> stringsOf(Object value) {
    if (!(value instanceof JsonArray array)) {
      throw new IllegalArgumentException("must be a list of strings, like [\"--memory\", \"1g\"]");
    }
    List<String> strings = new ArrayList<>();
    for (Object item : array) {
      if (!(item instanceof String text)) {
        throw new IllegalArgumentException("must hold strings only, not " + item);
      }
      strings.add(text);
    }
    return strings;
  }

  /** The container id {@code docker run -d} prints last (an image pull may print before it). */
  private static String lastLine(String output) {
    List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }

  /** What {@code docker wait} printed: the container's exit code; -1 when it could not tell. */
  private static int exitCodeOf(Process waiter) {
    try {
      String printed = new String(waiter.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      return Integer.parseInt(lastLine(printed));
    } catch (Exception unreadable) {
      return -1;
    }
  }
}
