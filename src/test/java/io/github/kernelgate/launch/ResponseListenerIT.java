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
    Future<JsonObject> expected = listener.expect(awaited, 4_000);
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

  @Test
  void commPortInterruptsAndShutsDownARealLauncher() throws Exception {
    Path dir = Files.createTempDirectory("kernelgate-comm");
    Path interrupted = dir.resolve("interrupted");
    String fakeKernel = "import signal, sys, time\n"
        + "signal.signal(signal.SIGINT, lambda *a: open(sys.argv[1], 'w').close())\n"
        + "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        + "while True: time.sleep(0.1)\n";
    String kernelId = UUID.randomUUID().toString();
    Future<JsonObject> payload = listener.expect(kernelId, 20_000);
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", RunningGateway.repositoryPath("src/main/python/kernelgate_launcher.py").toString(),
        "--", "/usr/bin/python3", "-c", fakeKernel, interrupted.toString()).redirectErrorStream(true)
        .redirectOutput(dir.resolve("launcher.log").toFile());
    builder.environment().putAll(java.util.Map.of("KERNEL_ID", kernelId, "RESPONSE_ADDRESS", info.responseAddress(),
        "PUBLIC_KEY", info.publicKey(), "KERNEL_SHUTDOWN_GRACE", "0.5"));
    Process launcher = builder.start();
    try {
      JsonObject connection = payload.await(20, TimeUnit.SECONDS);
      assertThat(connection.getString("kernel_id")).isEqualTo(kernelId);
      int commPort = connection.getInteger("comm_port");
      CommPortClient comm = new CommPortClient(gateway.vertx(), 2_000);

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
