package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.PrometheusText;
import io.github.kernelgate.testsupport.RunningGateway;
import io.github.kernelgate.testsupport.StalledClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A client that stops reading while another reads a large output: the slow one is closed, the other loses nothing. */
class SlowClientIT {

  private static final int BACKLOG_LIMIT = 4 * 1024 * 1024;

  /** Verifies that closing a stalled client (1008) mid-output costs the reading client nothing, in both framings. */
  @Test
  void aStalledClientIsClosedAndTheReaderGetsEverything() throws Exception {
    try (RunningGateway gateway = RunningGateway.start(config -> config.with(Setting.WS_MAX_PENDING_BYTES, BACKLOG_LIMIT)
        .with(Setting.WS_SLOW_CLIENT_TIMEOUT, 2))) {
      Http http = gateway.http();
      String kernelId = http.startKernel("python3", RunningGateway.USER);
      try {
        for (boolean v1 : new boolean[] {false, true}) {
          try (KernelClient reader = v1 ? gateway.connectV1(kernelId) : gateway.connect(kernelId);
               StalledClient stalled = StalledClient.connect(gateway.port(), kernelId)) {
            String msgId = reader.executeAsync("import sys\nline = 'z' * 1023\nfor _ in range(40 * 1024):\n    print(line)\nsys.stdout.flush()");
            KernelClient.Execution run = reader.awaitExecution(msgId, Duration.ofSeconds(120));
            assertThat(run.stdout()).as(v1 ? "v1" : "legacy").hasSize(40 * 1024 * 1024);
            assertThat(stalled.wasClosedByGateway()).as("the stalled client is closed").isTrue();
            assertThat(reader.isClosed()).as("the reader stays connected").isFalse();
          }
        }
        assertThat(new PrometheusText(http.get("/metrics").body()).sum("kernelgate_websocket_closes_total", "code", "1008"))
            .as("both closes counted").isEqualTo(2);
      } finally {
        http.delete("/api/kernels/" + kernelId);
      }
    }
  }
}
