package io.github.kernelgate.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.github.kernelgate.testsupport.TestPayloads;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The response listener against hostile and broken senders, and the comm-port client against
 * KernelGate's real launcher.
 */
class ResponseListenerIT {

  private static RunningGateway gateway;
  private static LaunchBus listener;
  private static LaunchBus.ListenerInfo info;

  @BeforeAll
  static void startGateway() throws Exception {
    gateway = RunningGateway.start();
    listener = new LaunchBus(gateway.vertx());
    info = listener.describe().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static Socket connect() throws Exception {
    String[] address = info.responseAddress().split(":");
    return new Socket(address[0], Integer.parseInt(address[1]));
  }

  private static void sendAndClose(byte[] payload) throws Exception {
    try (Socket socket = connect(); OutputStream out = socket.getOutputStream()) {
      out.write(payload);
    } catch (java.io.IOException closedByListener) {
      // The listener may cut an oversized sender off mid-write: that is the point.
    }
  }

  @Test
  void badPayloadsAreDroppedWhileARealLaunchSucceeds() throws Exception {
    String awaited = UUID.randomUUID().toString();
    Future<JsonObject> expected = listener.expect(awaited, 4_000, "the-secret", true);
    Socket slow = connect();
    slow.getOutputStream().write("eyJ2ZXJzaW9uIjog".getBytes());
    byte[] good = TestPayloads.encrypt(TestPayloads.connectionInfo(awaited), info.publicKey());
    sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(awaited), HandshakeKeys.generate().publicKeyBase64()));
    sendAndClose(Arrays.copyOf(good, good.length - 20));
    byte[] garbage = new byte[1024 * 1024];
    new Random(1).nextBytes(garbage);
    sendAndClose(garbage);
    sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(UUID.randomUUID().toString()), info.publicKey()));

    Http http = gateway.http();
    String kernelId = http.startKernel("launcher_python", RunningGateway.USER);
    try (KernelClient client = gateway.connect(kernelId)) {
      assertThat(client.execute("'launched despite the noise'").result()).isEqualTo("'launched despite the noise'");
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }

    Throwable timedOut = expected.transform(result -> Future.succeededFuture(result.cause())).await(10, TimeUnit.SECONDS);
    assertThat(timedOut).as("no bad payload may satisfy the launch").isInstanceOf(GatewayException.class);
    assertThat(((GatewayException) timedOut).status()).isEqualTo(504);

    slow.setSoTimeout((int) ResponseListenerVerticle.READ_TIMEOUT_MILLIS + 5_000);
    try (InputStream in = slow.getInputStream()) {
      assertThat(in.read()).as("the slow sender is cut off").isEqualTo(-1);
    }
    assertThat(listener.describe().await(5, TimeUnit.SECONDS).responseAddress()).isEqualTo(info.responseAddress());
  }

  private static void sendFrom(String localAddress, byte[] payload) throws Exception {
    String[] address = info.responseAddress().split(":");
    try (Socket socket = new Socket(address[0], Integer.parseInt(address[1]), java.net.InetAddress.getByName(localAddress), 0);
         OutputStream out = socket.getOutputStream()) {
      out.write(payload);
    }
  }

  /**
   * Verifies the forgery rules on a real listener: a wrong secret is refused, an unsigned payload
   * is accepted only from the kernel's address (announced after it arrived), and only one payload
   * is accepted per launch.
   */
  @Test
  void forgedPayloadsAreRefusedAndOnlyOnePayloadIsAccepted() throws Exception {
    String kernelId = UUID.randomUUID().toString();
    Future<JsonObject> expected = listener.expect(kernelId, 20_000, "right-secret", true);
    sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(kernelId).put("launch_secret", "wrong").put("shell_port", 666),
        info.publicKey()));
    sendFrom("127.0.0.1", TestPayloads.encrypt(TestPayloads.connectionInfo(kernelId).put("shell_port", 667), info.publicKey()));
    sendFrom("127.0.0.2", TestPayloads.encrypt(TestPayloads.connectionInfo(kernelId).put("shell_port", 40001), info.publicKey()));
    // The listener handles connections in order on one event loop: the address comes after all three.
    listener.describe().await(5, TimeUnit.SECONDS);
    assertThat(expected.isComplete()).as("nothing is accepted before the kernel's address is known").isFalse();
    listener.kernelAddress(kernelId, "127.0.0.2").await(5, TimeUnit.SECONDS);
    JsonObject accepted = expected.await(10, TimeUnit.SECONDS);
    assertThat(accepted.getInteger("shell_port")).isEqualTo(40001);

    String second = UUID.randomUUID().toString();
    Future<JsonObject> signed = listener.expect(second, 20_000, "second-secret", false);
    sendFrom("127.0.0.1", TestPayloads.encrypt(TestPayloads.connectionInfo(second), info.publicKey()));
    sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(second).put("launch_secret", "second-secret").put("shell_port", 1234),
        info.publicKey()));
    assertThat(signed.await(10, TimeUnit.SECONDS).getInteger("shell_port")).isEqualTo(1234);
    assertThat(signed.result().containsKey("launch_secret")).isFalse();
  }

  /** Verifies that forged payloads sent while a real kernel starts are refused and the real launch succeeds. */
  @Test
  void aRealLaunchSucceedsWhileForgedPayloadsRace() throws Exception {
    Http http = gateway.http();
    String kernelId = UUID.randomUUID().toString();
    java.util.concurrent.CompletableFuture<Http.Response> start = java.util.concurrent.CompletableFuture.supplyAsync(() ->
        http.post("/api/kernels", new JsonObject().put("name", "launcher_python").put("env", new JsonObject()
            .put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_ID", kernelId)).encode()));
    int forged = 0;
    while (!start.isDone()) {
      // Wrong secret, and none at all: both must lose against the real launcher's payload.
      sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(kernelId).put("launch_secret", "guess"), info.publicKey()));
      sendAndClose(TestPayloads.encrypt(TestPayloads.connectionInfo(kernelId), info.publicKey()));
      forged += 2;
    }
    Http.Response started = start.get(60, TimeUnit.SECONDS);
    try {
      assertThat(started.status()).as(started.body()).isEqualTo(201);
      assertThat(forged).isGreaterThan(2);
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("'the real kernel'").result()).isEqualTo("'the real kernel'");
      }
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void commPortInterruptsAndShutsDownARealLauncher() throws Exception {
    Path dir = Files.createTempDirectory("kernelgate-comm");
    Path interrupted = dir.resolve("interrupted");
    Path handling = dir.resolve("handling");
    // The launcher answers as soon as it has ports, before its kernel runs: the fake kernel says
    // when its SIGINT handler is in place (a SIGINT before that would end it).
    String fakeKernel = "import signal, sys, time\n"
        + "signal.signal(signal.SIGINT, lambda *a: open(sys.argv[1], 'w').close())\n"
        + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        + "open(sys.argv[2], 'w').close()\n"
        + "while True: time.sleep(0.1)\n";
    String kernelId = UUID.randomUUID().toString();
    Future<JsonObject> payload = listener.expect(kernelId, 20_000, "comm-test-secret", false);
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", RunningGateway.repositoryPath("src/main/python/kernelgate_launcher.py").toString(),
        "--", "/usr/bin/python3", "-c", fakeKernel, interrupted.toString(), handling.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("launcher.log").toFile());
    builder.environment().putAll(java.util.Map.of("KERNEL_ID", kernelId, "RESPONSE_ADDRESS", info.responseAddress(),
        "PUBLIC_KEY", info.publicKey(), "KERNEL_SHUTDOWN_GRACE", "0.5", "KERNEL_LAUNCH_SECRET", "comm-test-secret"));
    Process launcher = builder.start();
    try {
      JsonObject connection = payload.await(20, TimeUnit.SECONDS);
      assertThat(connection.getString("kernel_id")).isEqualTo(kernelId);
      int commPort = connection.getInteger("comm_port");
      CommPortClient comm = new CommPortClient(gateway.vertx(), 2_000);

      long ready = System.currentTimeMillis() + 20_000;
      while (!Files.exists(handling) && System.currentTimeMillis() < ready) {
        Thread.sleep(50);
      }
      assertThat(handling).as("the fake kernel runs; see launcher.log").exists();

      comm.signal("127.0.0.1", commPort, 2).await(5, TimeUnit.SECONDS);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!Files.exists(interrupted) && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertThat(interrupted).exists();

      comm.shutdown("127.0.0.1", commPort).await(5, TimeUnit.SECONDS);
      assertThat(launcher.waitFor(15, TimeUnit.SECONDS)).as("the launcher ends its kernel and exits").isTrue();
      Throwable refused = comm.signal("127.0.0.1", commPort, 0).transform(done -> Future.succeededFuture(done.cause()))
          .await(5, TimeUnit.SECONDS);
      assertThat(refused).as("the comm port is closed after shutdown").isNotNull();
    } finally {
      launcher.destroyForcibly();
    }
  }
}
