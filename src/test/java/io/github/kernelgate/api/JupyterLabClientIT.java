package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * JupyterLab's own client library (@jupyterlab/services, installed by .ci/setup in src/test/js)
 * against the gateway: what a notebook in the browser sees.
 */
class JupyterLabClientIT {

  private static final Path CLIENTS = RunningGateway.repositoryPath("src/test/js");

  /**
   * Verifies the scenario: a cell prints a line every half second, the WebSocket's TCP
   * connection ends under it, JupyterLab reconnects with its session id, and the cell completes
   * with every line, its reply and idle (before replay, the reply was lost and the cell stayed busy).
   */
  @Test
  void aCellCompletesWithEveryLineAcrossADroppedConnection() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      Http http = gateway.http();
      String kernelId = http.startKernel("python3", RunningGateway.USER);
      try {
        JsonObject seen = runClient("reconnecting-client.mjs", String.valueOf(gateway.port()), token(gateway), kernelId);
        assertThat(seen.getString("status")).as(seen.encode()).isEqualTo("ok");
        assertThat(seen.getString("stdout")).isEqualTo("line 0\nline 1\nline 2\nline 3\nline 4\nline 5\n");
        assertThat(seen.getJsonArray("connectionStatuses").getList()).as("the connection really dropped and came back")
            .containsSubsequence("connected", "connecting", "connected");
      } finally {
        http.delete("/api/kernels/" + kernelId);
      }
    }
  }

  private static String token(RunningGateway gateway) {
    return gateway.token() == null ? "" : gateway.token();
  }

  /** Runs a client script with node and answers the JSON line it prints last. */
  private static JsonObject runClient(String script, String... args) throws IOException, InterruptedException {
    assertThat(CLIENTS.resolve("node_modules/@jupyterlab/services")).as("installed by .ci/setup (npm ci in src/test/js)").exists();
    Path output = Files.createTempFile("jlab-client", ".out");
    List<String> command = new java.util.ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    Process client = new ProcessBuilder(command).directory(CLIENTS.toFile()).redirectErrorStream(true)
        .redirectOutput(output.toFile()).start();
    try {
      assertThat(client.waitFor(120, TimeUnit.SECONDS)).as("the client finished").isTrue();
      List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
      String last = lines.stream().filter(line -> line.startsWith("{")).reduce((first, second) -> second)
          .orElseThrow(() -> new AssertionError("no result from " + script + ": " + lines));
      return new JsonObject(last);
    } finally {
      client.destroyForcibly();
      Files.deleteIfExists(output);
    }
  }
}
