package io.github.kernelgate.testsupport;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.proxy.KernelRuntime;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A test runtime that launches kernel images with {@code docker run} on the default bridge
 * network, exactly as a user would by hand with the env of the handshake. It stands in for the
 * Docker proxies (a later issue) to prove the images and the handshake; blocking CLI calls run
 * on workers.
 */
public final class DockerRunRuntime implements KernelRuntime {

  private final Vertx vertx;
  private ExitListener exitListener;

  public DockerRunRuntime(Vertx vertx) {
    this.vertx = vertx;
  }

  private static String name(String kernelId) {
    return "kg-test-" + kernelId;
  }

  @Override
  public void setExitListener(ExitListener listener) {
    this.exitListener = listener;
  }

  @Override
  public Future<JsonObject> start(LaunchRequest request, Map<String, String> env) {
    String image = request.spec().getJsonObject("metadata").getJsonObject("process_proxy").getJsonObject("config").getString("image_name");
    List<String> args = new ArrayList<>(List.of("run", "-d", "--name", name(request.kernelId()), "--label", DockerCli.TEST_LABEL,
        "--label", "kernel_id=" + request.kernelId()));
    env.forEach((key, value) -> args.addAll(List.of("-e", key + "=" + value)));
    args.add(image);
    return vertx.executeBlocking(() -> {
      DockerCli.Result result = DockerCli.run(args);
      if (!result.ok()) {
        throw GatewayException.internal("docker run failed: " + result.output());
      }
      watchExit(request.kernelId());
      return new JsonObject().put("container", result.output());
    }, false);
  }

  private void watchExit(String kernelId) {
    Thread watcher = new Thread(() -> {
      DockerCli.Result waited = DockerCli.run("wait", name(kernelId));
      if (waited.ok() && exitListener != null) {
        exitListener.exited(kernelId, Integer.parseInt(waited.output().trim()), DockerCli.run("logs", "--tail", "5", name(kernelId)).output());
      }
    }, "docker-wait-" + kernelId);
    watcher.setDaemon(true);
    watcher.start();
  }

  @Override
  public Future<String> awaitAddress(String kernelId, long timeoutMillis) {
    return vertx.executeBlocking(() -> {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (System.currentTimeMillis() < deadline) {
        DockerCli.Result inspect = DockerCli.run("inspect", "-f", "{{.State.Status}} {{.NetworkSettings.IPAddress}}", name(kernelId));
        String[] parts = inspect.output().split(" ");
        if (inspect.ok() && parts[0].equals("running") && parts.length > 1 && !parts[1].isBlank()) {
          return parts[1];
        }
        if (inspect.ok() && (parts[0].equals("exited") || parts[0].equals("dead"))) {
          throw GatewayException.internal("container of " + kernelId + " " + parts[0]);
        }
        Thread.sleep(100);
      }
      throw new GatewayException(504, "container of " + kernelId + " not running within " + timeoutMillis + " ms");
    }, false);
  }

  @Override
  public Future<Boolean> isRunning(String kernelId) {
    return vertx.executeBlocking(() -> "true".equals(DockerCli.run("inspect", "-f", "{{.State.Running}}", name(kernelId)).output()), false);
  }

  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    return vertx.executeBlocking(() -> {
      long deadline = System.currentTimeMillis() + timeoutMillis;
      while (System.currentTimeMillis() < deadline) {
        if (!"true".equals(DockerCli.run("inspect", "-f", "{{.State.Running}}", name(kernelId)).output())) {
          return true;
        }
        Thread.sleep(100);
      }
      return false;
    }, false);
  }

  @Override
  public Future<Void> remove(String kernelId) {
    return vertx.executeBlocking(() -> {
      DockerCli.run("rm", "-f", name(kernelId));
      return null;
    }, false);
  }
}
