package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bad input from clients and attackers: every refusal is a 4xx with the JSON body
 * {@code {reason, message}} naming the problem, and nothing is left registered.
 */
class BadInputIT {

  private static final String TOKEN = "bad-input-token";
  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.AUTH_TOKEN, TOKEN));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static JsonObject assertJsonError(Http.Response response, int status, String messageContains) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    JsonObject body = new JsonObject(response.body());
    assertThat(body.getString("reason")).as(response.body()).isNotBlank();
    assertThat(body.getString("message")).as(response.body()).contains(messageContains);
    return body;
  }

  /** Verifies that deeply nested JSON (arrays or objects, a few thousand deep) is a 400, not a 500. */
  @Test
  void deeplyNestedJsonIs400() {
    for (int depth : List.of(65, 999, 1000, 5000)) {
      String arrays = "[".repeat(depth) + "]".repeat(depth);
      String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
      assertJsonError(http.post("/api/kernels", arrays), 400, "Invalid JSON");
      assertJsonError(http.post("/api/kernels", "{\"name\": \"python3\", \"env\": " + objects + "}"), 400, "Invalid JSON");
      assertJsonError(http.post("/api/sessions", objects), 400, "Invalid JSON");
    }
    assertThat(http.get("/api/kernels").jsonArray()).isEmpty();
  }

  /** Verifies that a JSON body sent as a form (what {@code curl -d} does), even with a field over 8 KiB, is read as JSON. */
  @Test
  void jsonDeclaredAsAFormIsReadAsJson() {
    String big = new JsonObject().put("name", "no-such-spec").put("env", new JsonObject()
        .put("KERNEL_A", "a".repeat(4000)).put("KERNEL_B", "b".repeat(4000)).put("KERNEL_C", "c".repeat(1500))).encode();
    assertThat(big.length()).isGreaterThan(9 * 1024);
    assertJsonError(post(big, "application/x-www-form-urlencoded"), 404, "no-such-spec");
    assertJsonError(post("{\"name\": \"no-such-spec\"}", "application/x-www-form-urlencoded"), 404, "no-such-spec");
    assertJsonError(post("--xx\r\nnot a form part", "multipart/form-data; boundary=xx"), 400, "must be JSON");
  }

  /** Verifies that environment names that could forge other variables are refused with a 400 naming them. */
  @Test
  void invalidEnvironmentNamesAre400() {
    for (String name : List.of("KERNEL_\nX", "KERNEL_X=Y")) {
      JsonObject body = new JsonObject().put("name", "python3")
          .put("env", new JsonObject().put("KERNEL_USERNAME", RunningGateway.USER).put(name, "v"));
      assertJsonError(http.post("/api/kernels", body.encode()), 400, "names must match");
    }
    assertThat(http.get("/api/kernels").jsonArray()).isEmpty();
  }

  /** Verifies that broken paths and ids say what is wrong, in JSON. */
  @Test
  void unknownAndBrokenPathsSayWhatIsWrong() {
    assertJsonError(http.get("/api/kernels/xyz"), 404, "Kernel does not exist: xyz");
    assertJsonError(http.get("/api/sessions/xyz"), 404, "Session not found: xyz");
    assertJsonError(http.get("/nothing/here"), 404, "/nothing/here");
    assertJsonError(http.raw("GET /api/kernels/%zz HTTP/1.1\r\nHost: x\r\nAuthorization: token " + TOKEN
        + "\r\nConnection: close\r\n\r\n"), 400, "percent-encoding");
    assertJsonError(http.raw("GET /kernelspecs/python3/kernel.js%00 HTTP/1.1\r\nHost: x\r\nAuthorization: token " + TOKEN
        + "\r\nConnection: close\r\n\r\n"), 404, "No resource");
    Http.Response head = http.send("HEAD", "/kernelspecs/python3/kernel.js%00", null);
    assertThat(head.status()).isEqualTo(404);
  }

  /** Verifies that requests the HTTP decoder refuses (long line, large headers, unknown version) still get a JSON body. */
  @Test
  void oversizedRequestsGetJsonBodies() {
    assertJsonError(http.raw("GET /api/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "request line");
    assertJsonError(http.raw("GET /api HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n"), 431, "headers");
    assertJsonError(http.raw("GARBAGE\r\n\r\n"), 400, "Malformed");
    assertJsonError(http.raw("GET /api HTTP/2.0\r\nHost: x\r\n\r\n"), 505, "HTTP/2.0 is not supported");
    assertJsonError(http.raw("GET /api HTTP/1.2\r\nHost: x\r\n\r\n"), 505, "HTTP/1.2 is not supported");
  }

  /** Verifies that a 401 tells the user what is wrong (JupyterLab shows the message) without echoing the token. */
  @Test
  void unauthorizedSaysWhatIsMissing() {
    Http anonymous = http.withToken(null);
    assertJsonError(anonymous.get("/api"), 401, "requires a token");
    JsonObject wrong = assertJsonError(anonymous.get("/api", "Authorization", "token guess"), 401, "not valid");
    assertThat(wrong.encode()).doesNotContain("guess").doesNotContain(TOKEN);
  }

  private static Http.Response post(String body, String contentType) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + gateway.port() + "/api/kernels"))
          .header("Content-Type", contentType).header("Authorization", "token " + TOKEN)
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
      return new Http.Response(response.statusCode(), response.headers().map(), response.body());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
