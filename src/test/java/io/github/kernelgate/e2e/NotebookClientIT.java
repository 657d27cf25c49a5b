package io.github.kernelgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
      int port = freePort();
      Path root = Files.createTempDirectory("kernelgate-notebook");
      ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "notebook", "--no-browser", "--allow-root",
          "--port=" + port, "--ip=127.0.0.1", "--NotebookApp.token=" + NOTEBOOK_TOKEN,
          "--gateway-url=http://127.0.0.1:" + gateway.port())
          .directory(root.toFile()).redirectErrorStream(true).redirectOutput(new File(root.toFile(), "notebook.log"));
      builder.environment().put("KERNEL_USERNAME", RunningGateway.USER);
      Process notebook = builder.start();
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

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
