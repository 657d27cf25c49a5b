package io.github.kernelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.github.kernelgate.testsupport.TestCertificates;
import io.github.kernelgate.testsupport.FreePorts;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A real Jupyter client: classic Notebook 6 (Debian's) started with {@code --gateway-url}
 * pointing at KernelGate, driven through its own REST and WebSocket API as its browser page would.
 */
class NotebookClientIT {

  private static final String NOTEBOOK_TOKEN = "notebook-token";

  @Test
  void notebookRunsCellsThroughTheGateway() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      int port = FreePorts.pick();
      Path root = Files.createTempDirectory("kernelgate-notebook");
      Process notebook = startNotebook(root, port, "http://127.0.0.1:" + gateway.port(), java.util.Map.of());
      try {
        Http notebookHttp = new Http(port, NOTEBOOK_TOKEN);
        awaitNotebook(notebookHttp, notebook, root);

        Http.Response created = notebookHttp.post("/api/sessions", new JsonObject().put("path", "analysis.ipynb")
            .put("type", "notebook").put("kernel", new JsonObject().put("name", "python3")).encode());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String kernelId = created.json().getJsonObject("kernel").getString("id");
        assertThat(gateway.http().get("/api/kernels/" + kernelId).status()).isEqualTo(200);

        try (KernelClient cells = KernelClient.connect(gateway.vertx(), port, kernelId, false, NOTEBOOK_TOKEN)) {
          assertThat(cells.execute("x = 21\nprint('computing')\nx * 2").result()).isEqualTo("42");
          assertThat(cells.execute("print(x)").stdout()).isEqualTo("21\n");
          assertThat(cells.execute("undefined_name").status()).isEqualTo("error");
        }

        String sessionId = created.json().getString("id");
        assertThat(notebookHttp.delete("/api/sessions/" + sessionId).status()).isEqualTo(204);
        assertThat(gateway.http().get("/api/kernels/" + kernelId).status()).isEqualTo(404);
      } finally {
        notebook.destroy();
        notebook.waitFor();
      }
    }
  }

  /**
   * Verifies TLS as EG names it, with Notebook 6 as the client: https and wss on one port, the
   * gateway's certificate checked against the test CA (JUPYTER_GATEWAY_CA_CERTS), and client
   * certificates required (EG_CLIENT_CA): Notebook presents its own and runs cells; a client
   * without one, and plain HTTP, are refused.
   */
  @Test
  void notebookRunsCellsThroughAGatewayOverTls() throws Exception {
    Path root = Files.createTempDirectory("kernelgate-notebook-tls");
    TestCertificates certificates = TestCertificates.create(root.resolve("pki"));
    int opsPort = FreePorts.pick();
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.CERTFILE, certificates.serverCertificate().toString())
        .with(Setting.KEYFILE, certificates.serverKey().toString()).with(Setting.CLIENT_CA, certificates.ca().toString())
        .with(Setting.OPS_PORT, opsPort))) {
      int port = FreePorts.pick();
      Process notebook = startNotebook(root, port, "https://127.0.0.1:" + gateway.port(), java.util.Map.of(
          "JUPYTER_GATEWAY_CA_CERTS", certificates.ca().toString(),
          "JUPYTER_GATEWAY_CLIENT_CERT", certificates.clientCertificate().toString(),
          "JUPYTER_GATEWAY_CLIENT_KEY", certificates.clientKey().toString()));
      try {
        Http notebookHttp = new Http(port, NOTEBOOK_TOKEN);
        awaitNotebook(notebookHttp, notebook, root);
        Http.Response created = notebookHttp.post("/api/sessions", new JsonObject().put("path", "secure.ipynb")
            .put("type", "notebook").put("kernel", new JsonObject().put("name", "python3")).encode());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String kernelId = created.json().getJsonObject("kernel").getString("id");
        try (KernelClient cells = KernelClient.connect(gateway.vertx(), port, kernelId, false, NOTEBOOK_TOKEN)) {
          assertThat(cells.execute("x = 21\nx * 2").result()).as("over wss to the gateway").isEqualTo("42");
        }

        assertThat(refusedWithoutClientCertificate(gateway.port(), certificates)).as("no client certificate, no TLS session").isTrue();
        assertThatThrownBy(() -> gateway.http().get("/api")).as("plain HTTP on the TLS port").isInstanceOf(RuntimeException.class);
        assertThat(notebookHttp.delete("/api/sessions/" + created.json().getString("id")).status()).isEqualTo(204);

        Http operations = new Http(opsPort, null);
        assertThat(operations.get("/health/ready").status()).as("probes use the plain-HTTP operations port").isEqualTo(200);
        assertThat(operations.get("/metrics").body()).contains("kernelgate_kernel_launch_seconds_count");
        assertThat(operations.get("/api/kernels").status()).as("and nothing else is served there").isEqualTo(404);
        assertThat(healthCheck(Map.of("EG_PORT", String.valueOf(gateway.port()), "KG_OPS_PORT", String.valueOf(opsPort))))
            .as("the container's health check under TLS").isZero();
        assertThat(healthCheck(Map.of("EG_PORT", String.valueOf(gateway.port())))).as("which cannot use the TLS port").isNotZero();
      } finally {
        notebook.destroy();
        notebook.waitFor();
      }
    }
  }

  /** Runs conf/healthcheck.sh (what compose runs in the container) with {@code env}; answers its exit code. */
  private static int healthCheck(Map<String, String> env) throws Exception {
    ProcessBuilder check = new ProcessBuilder("bash", RunningGateway.repositoryPath("conf/healthcheck.sh").toString()).redirectErrorStream(true);
    check.environment().remove("EG_PORT");
    check.environment().remove("KG_OPS_PORT");
    check.environment().putAll(env);
    Process process = check.start();
    process.getInputStream().readAllBytes();
    return process.waitFor();
  }

  /** A TLS client that trusts the test CA but has no certificate of its own: the handshake or the first request must fail. */
  private static boolean refusedWithoutClientCertificate(int port, TestCertificates certificates) throws Exception {
    java.security.KeyStore trust = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
    trust.load(null, null);
    try (var in = Files.newInputStream(certificates.ca())) {
      trust.setCertificateEntry("ca", java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(context).build();
    try {
      client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:" + port + "/api")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return false;
    } catch (java.io.IOException refused) {
      return true;
    }
  }

  /** Debian's classic Notebook 6 on {@code port}, a client of the gateway at {@code gatewayUrl}, logging to notebook.log in {@code root}. */
  private static Process startNotebook(Path root, int port, String gatewayUrl, java.util.Map<String, String> env) throws Exception {
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root",
        "--port=" + port, "--ip=127.0.0.1", "--NotebookApp.token=" + NOTEBOOK_TOKEN, "--gateway-url=" + gatewayUrl)
        .directory(root.toFile()).redirectErrorStream(true).redirectOutput(new File(root.toFile(), "notebook.log"));
    builder.environment().put("KERNEL_USERNAME", RunningGateway.USER);
    builder.environment().putAll(env);
    return builder.start();
  }

  private static void awaitNotebook(Http http, Process notebook, Path root) throws Exception {
    long deadline = System.currentTimeMillis() + Duration.ofSeconds(60).toMillis();
    while (System.currentTimeMillis() < deadline) {
      if (!notebook.isAlive()) {
        throw new AssertionError("notebook exited: " + Files.readString(root.resolve("notebook.log")));
      }
      try {
        if (http.get("/api/status").status() == 200) {
          return;
        }
      } catch (RuntimeException notYet) {
        // Not listening yet.
      }
      Thread.sleep(200);
    }
    throw new AssertionError("notebook did not start: " + Files.readString(root.resolve("notebook.log")));
  }

}
