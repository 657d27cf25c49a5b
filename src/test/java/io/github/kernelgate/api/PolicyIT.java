package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** EG_MAX_KERNELS, EG_ALLOWED_KERNELS, EG_AUTHORIZED_USERS and the CORS headers. */
class PolicyIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config
        .with(Setting.MAX_KERNELS, 1)
        .with(Setting.ALLOWED_KERNELS, new JsonArray().add("python3").add("restricted"))
        .with(Setting.AUTHORIZED_USERS, new JsonArray().add(RunningGateway.USER).add("alice"))
        .with(Setting.ALLOW_ORIGIN, "https://lab.example")
        .with(Setting.ALLOW_HEADERS, "Authorization, Content-Type")
        .with(Setting.ALLOW_METHODS, "GET, POST, DELETE"));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  @Test
  void maxKernelsRefusesTheNextStart() {
    String first = http.startKernel("python3", RunningGateway.USER);
    try {
      Http.Response refused = http.post("/api/kernels", start("python3", "alice"));
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.json().getString("message")).contains("max kernels limit has been set to 1");
    } finally {
      http.delete("/api/kernels/" + first);
    }
  }

  @Test
  void allowedKernelsHidesOthersAndRefusesToStartThem() {
    JsonObject specs = http.get("/api/kernelspecs").json().getJsonObject("kernelspecs");
    assertThat(specs.fieldNames()).containsExactlyInAnyOrder("python3", "restricted");
    Http.Response refused = http.post("/api/kernels", start("python3_message", RunningGateway.USER));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("message")).contains("python3_message");
  }

  @Test
  void globalAuthorizedUsersAreEnforced() {
    Http.Response refused = http.post("/api/kernels", start("python3", "eve"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("message")).contains("eve");
  }

  @Test
  void corsHeadersAreSentAndTheConfiguredOriginIsAllowed() {
    Http.Response preflight = http.withToken(null).send("OPTIONS", "/api/kernels", null, "Origin", "https://lab.example");
    assertThat(preflight.status()).isEqualTo(200);
    assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://lab.example");
    assertThat(preflight.header("Access-Control-Allow-Methods")).isEqualTo("GET, POST, DELETE");
    assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualTo("Authorization, Content-Type");
    assertThat(http.get("/api/kernelspecs", "Origin", "https://lab.example").status()).isEqualTo(200);
    assertThat(http.get("/api/kernelspecs", "Origin", "https://other.example").status()).isEqualTo(404);
  }

  private static String start(String name, String user) {
    return new JsonObject().put("name", name).put("env", new JsonObject().put("KERNEL_USERNAME", user)).encode();
  }
}
