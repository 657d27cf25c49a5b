package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import org.junit.jupiter.api.Test;

/**
 * The small protocol kernel (src/test/resources/kernelspecs/tiny) that the scale benchmark runs by
 * the hundred: launched, executed and shut down through the gateway like any kernel.
 */
class TinyKernelIT {

  @Test
  void itAnswersKernelInfoAndExecutesWithOutputThroughTheGateway() throws Exception {
    try (RunningGateway gateway = RunningGateway.start()) {
      Http http = gateway.http();
      String kernelId = http.startKernel("tiny", RunningGateway.USER);
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("hello tiny").stdout()).isEqualTo("hello tiny");
        assertThat(client.execute("pass").stdout()).isEmpty();
      }
      assertThat(http.get("/api/kernels/" + kernelId).json().getString("execution_state")).isEqualTo("idle");
      assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    }
  }
}
