package io.github.kernelgate.testsupport;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A gateway deployed as a container (docker-compose) or a swarm service (docker stack), reached
 * from the host through its published port. Deploys with the given command and env, removes with
 * the other; the gateway image is rebuilt from the freshly packaged jar first.
 */
public final class ContainerizedGateway implements AutoCloseable {

  private final Vertx vertx = Vertx.vertx();
  private final int port;
  private final List<String> down;
  private final Map<String, String> env;

  private ContainerizedGateway(int port, List<String> down, Map<String, String> env) {
    this.port = port;
    this.down = down;
    this.env = env;
  }

  /** Builds kernelgate/gateway:dev, runs {@code up} with KG_PORT set, and waits for the API. */
  public static ContainerizedGateway deploy(List<String> up, List<String> down, Map<String, String> extraEnv) throws Exception {
    int port = FreePorts.pick();
    Map<String, String> env = new java.util.HashMap<>(extraEnv);
    env.put("KG_PORT", String.valueOf(port));
    String built = run(List.of(RunningGateway.repositoryPath("compose/build-images.sh").toString(), "gateway"), Map.of());
    ContainerizedGateway gateway = new ContainerizedGateway(port, down, env);
    String deployed = run(up, env);
    Http http = gateway.http();
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(90).toMillis();
    while (System.currentTimeMillis() < deadline) {
      try {
        if (http.get("/api").status() == 200) {
          return gateway;
        }
      } catch (RuntimeException notYet) {
        // Still starting.
      }
      Thread.sleep(500);
    }
    gateway.close();
    throw new IllegalStateException("containerized gateway did not answer on port " + port + "\n" + built + "\n" + deployed);
  }

  public static String run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(RunningGateway.repositoryPath(".").toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(300, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException("command failed: " + command + "\n" + output);
    }
    return output;
  }


  /**
   * Waits until the gateway was replaced (the old one stops answering) and the new one answers.
   * A fresh process starts with no kernel list cached, so the first answer comes after it took its kernels over.
   */
  public void awaitApiAfterReplacement() throws InterruptedException {
    Http http = http();
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(120).toMillis();
    boolean wentAway = false;
    while (System.currentTimeMillis() < deadline) {
      boolean answers;
      try {
        answers = http.get("/api").status() == 200;
      } catch (RuntimeException down) {
        answers = false;
      }
      if (!answers) {
        wentAway = true;
      } else if (wentAway) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the gateway was not replaced within 120 s (went away: " + wentAway + ")");
  }

  /** The environment the deployment commands ran with (KG_PORT included). */
  public Map<String, String> environment() {
    return env;
  }

  public int port() {
    return port;
  }

  public Http http() {
    return new Http(port, null);
  }

  public KernelClient connect(String kernelId) {
    return KernelClient.connect(vertx, port, kernelId, false, null);
  }

  @Override
  public void close() throws Exception {
    try {
      run(down, env);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
