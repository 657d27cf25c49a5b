package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Token authentication on REST and WebSocket, and the listing switch. */
class AuthIT {

  private static final String TOKEN = "s3cret-token";
  private static RunningGateway gateway;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.AUTH_TOKEN, TOKEN).with(Setting.LIST_KERNELS, false));
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  @Test
  void requestsWithoutTheTokenAre401() {
    Http anonymous = gateway.http().withToken(null);
    Http.Response refused = anonymous.get("/api");
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().getString("reason")).isEqualTo("Unauthorized");
    assertThat(anonymous.get("/api", "Authorization", "token wrong").status()).isEqualTo(401);
    assertThat(anonymous.get("/api/kernelspecs").status()).isEqualTo(401);
  }

  @Test
  void tokenByHeaderOrQueryIsAccepted() {
    Http anonymous = gateway.http().withToken(null);
    assertThat(anonymous.get("/api", "Authorization", "token " + TOKEN).status()).isEqualTo(200);
    assertThat(anonymous.get("/api", "Authorization", "Bearer " + TOKEN).status()).isEqualTo(200);
    assertThat(anonymous.get("/api?token=" + TOKEN).status()).isEqualTo(200);
    assertThat(anonymous.get("/api?token=bad", "Authorization", "token " + TOKEN).status()).isEqualTo(401);
  }

  @Test
  void websocketNeedsTheTokenToo() {
    Http http = gateway.http();
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    try {
      assertThatThrownBy(() -> KernelClient.open(gateway.vertx(), gateway.port(), "/api/kernels/" + kernelId + "/channels", false)
          .await(10, TimeUnit.SECONDS)).hasMessageContaining("401");
      try (KernelClient client = gateway.connect(kernelId)) {
        assertThat(client.execute("1 + 1").result()).isEqualTo("2");
      }
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  @Test
  void listingCanBeSwitchedOff() {
    Http.Response listing = gateway.http().get("/api/kernels");
    assertThat(listing.status()).isEqualTo(403);
    assertThat(listing.json().getString("reason")).isEqualTo("Forbidden");
    assertThat(gateway.http().get("/api/sessions").status()).isEqualTo(403);
  }

  @Test
  void apiDocumentNeedsNoToken() {
    assertThat(gateway.http().withToken(null).get("/api/swagger.json").status()).isEqualTo(200);
  }
}
