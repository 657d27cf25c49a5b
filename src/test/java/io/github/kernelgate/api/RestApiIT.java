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

/** The REST routes against a real gateway with real ipykernel processes; every refusal is JSON. */
class RestApiIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.ALLOW_ORIGIN, "").with(Setting.MAX_KERNELS_PER_USER, 2));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static void assertError(Http.Response response, int status, String messageContains) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/json");
    JsonObject body = response.json();
    assertThat(body.getString("reason")).isNotNull();
    assertThat(body.getString("message") + " " + body.getString("reason")).contains(messageContains);
  }

  @Test
  void apiAnswersVersions() {
    Http.Response response = http.get("/api");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().getString("version")).isNotBlank();
    assertThat(response.json().getString("gateway_version")).isNotBlank();
  }

  @Test
  void kernelspecsListTheShippedPython3AsDefault() {
    JsonObject specs = http.get("/api/kernelspecs").json();
    assertThat(specs.getString("default")).isEqualTo("python3");
    JsonObject python = specs.getJsonObject("kernelspecs").getJsonObject("python3");
    assertThat(python.getJsonObject("spec").getString("language")).isEqualTo("python");
    assertThat(python.getJsonObject("spec").getJsonArray("argv").getString(0)).isEqualTo("/usr/bin/python3");
  }

  @Test
  void kernelspecResourcesAreServedAndListed() {
    JsonObject restricted = http.get("/api/kernelspecs/restricted").json();
    assertThat(restricted.getJsonObject("resources").getString("logo-64x64")).isEqualTo("/kernelspecs/restricted/logo-64x64.png");
    assertThat(restricted.getJsonObject("resources").getString("kernel.js")).isEqualTo("/kernelspecs/restricted/kernel.js");
    Http.Response logo = http.get("/kernelspecs/restricted/logo-64x64.png");
    assertThat(logo.status()).isEqualTo(200);
    assertThat(logo.header("Content-Type")).isEqualTo("image/png");
    assertThat(http.send("HEAD", "/kernelspecs/restricted/kernel.js", null).status()).isEqualTo(200);
  }

  @Test
  void kernelspecLookupIsCaseInsensitiveAndUnknownIs404() {
    assertThat(http.get("/api/kernelspecs/PYTHON3").status()).isEqualTo(200);
    assertError(http.get("/api/kernelspecs/nope"), 404, "nope");
    assertError(http.get("/kernelspecs/nope/logo-64x64.png"), 404, "nope");
  }

  @Test
  void kernelspecResourcePathTraversalIsRefused() {
    for (String path : new String[] {"/kernelspecs/restricted/../../pom.xml", "/kernelspecs/restricted/%2e%2e/%2e%2e/pom.xml",
        "/kernelspecs/restricted/..%2F..%2F..%2Fpom.xml", "/kernelspecs/restricted/%2Fetc%2Fpasswd", "/kernelspecs/restricted/missing.png"}) {
      Http.Response response = http.get(path);
      assertThat(response.status()).as(path).isIn(403, 404);
      assertThat(response.body()).as(path).doesNotContain("ipykernel_launcher").doesNotContain("root:");
    }
  }

  @Test
  void userFilterHidesAndRefusesSpecs() {
    JsonObject forMallory = http.get("/api/kernelspecs?user=mallory").json().getJsonObject("kernelspecs");
    assertThat(forMallory.containsKey("restricted")).isFalse();
    assertThat(forMallory.containsKey("python3")).isTrue();
    assertError(http.get("/api/kernelspecs/restricted?user=bob"), 403, "bob");
    assertThat(http.get("/api/kernelspecs/restricted?user=alice").status()).isEqualTo(200);
  }

  @Test
  void kernelStartsAnswersModelAndShutsDown() {
    Http.Response started = http.post("/api/kernels", new JsonObject().put("name", "python3")
        .put("env", new JsonObject().put("KERNEL_USERNAME", "rest-user")).encode());
    assertThat(started.status()).as(started.body()).isEqualTo(201);
    JsonObject model = started.json();
    String id = model.getString("id");
    assertThat(started.header("Location")).isEqualTo("/api/kernels/" + id);
    assertThat(model.getString("name")).isEqualTo("python3");
    assertThat(model.getInteger("connections")).isZero();
    assertThat(model.getString("last_activity")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");

    assertThat(http.get("/api/kernels/" + id).json().getString("id")).isEqualTo(id);
    JsonArray listed = http.get("/api/kernels").jsonArray();
    assertThat(listed.stream().map(item -> ((JsonObject) item).getString("id"))).contains(id);

    assertThat(http.delete("/api/kernels/" + id).status()).isEqualTo(204);
    assertError(http.get("/api/kernels/" + id), 404, id);
    assertError(http.delete("/api/kernels/" + id), 404, id);
  }

  @Test
  void emptyBodyStartsTheDefaultKernelForTheGatewayUser() {
    // The gateway runs as root here; EG's default EG_UNAUTHORIZED_USERS refuses root.
    Http.Response started = http.post("/api/kernels", "");
    if (System.getProperty("user.name").equals("root")) {
      assertError(started, 403, "root");
    } else {
      assertThat(started.status()).isEqualTo(201);
      http.delete("/api/kernels/" + started.json().getString("id"));
    }
  }

  @Test
  void unknownKernelIdsAre404() {
    assertError(http.get("/api/kernels/1-2-3-4-5"), 404, "1-2-3-4-5");
    assertError(http.get("/api/kernels/not-a-uuid"), 404, "");
    assertError(http.post("/api/kernels/00000000-0000-4000-8000-000000000000/interrupt", ""), 404, "00000000");
    assertError(http.post("/api/kernels/00000000-0000-4000-8000-000000000000/restart", ""), 404, "00000000");
    assertError(http.get("/api/kernels/../../etc/passwd"), 404, "");
  }

  @Test
  void unknownRoutesAreJson404() {
    for (String path : new String[] {"/", "/tree", "/api/contents", "/fake"}) {
      assertError(http.get(path), 404, "");
    }
  }

  @Test
  void unknownKernelspecOnStartIs404NamingIt() {
    assertError(http.post("/api/kernels", startBody("no_such_spec", "u1")), 404, "no_such_spec");
  }

  @Test
  void malformedJsonIs400() {
    assertError(http.post("/api/kernels", "{not json"), 400, "Invalid JSON");
    assertError(http.post("/api/kernels", "[1,2]"), 400, "JSON object");
    assertError(http.post("/api/kernels", "{\"name\": 42}"), 400, "name");
  }

  @Test
  void envMustBeAnObjectOfStrings() {
    assertError(http.post("/api/kernels", "{\"env\": [\"KERNEL_X\"]}"), 400, "env");
    assertError(http.post("/api/kernels", "{\"env\": {\"KERNEL_USERNAME\": \"u\", \"KERNEL_N\": 5}}"), 400, "KERNEL_N");
    assertError(http.post("/api/kernels", "{\"env\": {\"KERNEL_N\": null}}"), 400, "KERNEL_N");
  }

  @Test
  void prohibitedCharactersAreRefusedWithoutEchoingTheValue() {
    for (String bad : new String[] {"a$b", "a`b`", "a\nb", "a\rb", "a\u0000b"}) {
      Http.Response response = http.post("/api/kernels", new JsonObject().put("env",
          new JsonObject().put("KERNEL_USERNAME", "u").put("KERNEL_FOO", bad)).encode());
      assertError(response, 400, "KERNEL_FOO");
      assertThat(response.body()).contains("prohibited").doesNotContain(bad);
    }
    assertError(http.post("/api/kernels", new JsonObject().put("env",
        new JsonObject().put("KERNEL_FOO", "x".repeat(4097))).encode()), 400, "maximum length");
  }

  @Test
  void kernelIdFromEnvMustBeCanonical() {
    assertError(http.post("/api/kernels", new JsonObject().put("env", new JsonObject()
        .put("KERNEL_USERNAME", "u").put("KERNEL_ID", "NOT-A-UUID")).encode()), 400, "KERNEL_ID");
  }

  @Test
  void tenMegabyteBodyIsRefusedAndTheGatewayKeepsServing() {
    String huge = "{\"name\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
    Http.Response response = http.post("/api/kernels", huge);
    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().getString("reason")).isNotBlank();
    assertThat(http.get("/api").status()).isEqualTo(200);
  }

  @Test
  void specAuthorizationIsEnforcedOnStart() {
    assertError(http.post("/api/kernels", startBody("restricted", "mallory")), 403, "mallory");
    assertError(http.post("/api/kernels", startBody("restricted", "bob")), 403, "not in the set of users authorized");
    assertError(http.post("/api/kernels", startBody("python3", "root")), 403, "root");
  }

  @Test
  void perUserLimitCountsRunningKernels() {
    String first = http.startKernel("python3", "limited");
    String second = http.startKernel("python3", "limited");
    try {
      assertError(http.post("/api/kernels", startBody("python3", "limited")), 403, "max kernels per user");
    } finally {
      http.delete("/api/kernels/" + first);
      http.delete("/api/kernels/" + second);
    }
  }

  @Test
  void launchFailuresAnswerErrorsAndLeaveNothingRegistered() {
    // Repeated: the exit can be reported before or after the proxy's launch answer; both must fail the start.
    for (int attempt = 0; attempt < 5; attempt++) {
      Http.Response exited = http.post("/api/kernels", startBody("exits_early", "u2"));
      assertError(exited, 500, "exited with code 3");
      assertThat(exited.body()).contains("no kernel here");
    }

    Http.Response timedOut = http.post("/api/kernels", new JsonObject().put("name", "never_answers")
        .put("env", new JsonObject().put("KERNEL_USERNAME", "u2").put("KERNEL_LAUNCH_TIMEOUT", "2")).encode());
    assertError(timedOut, 500, "launch timeout");

    Http.Response noPlugin = http.post("/api/kernels", startBody("unknown_plugin", "u2"));
    assertError(noPlugin, 500, "acme.NoSuchProxy");

    JsonArray kernels = http.get("/api/kernels").jsonArray();
    assertThat(kernels.stream().map(item -> ((JsonObject) item).getString("name"))).doesNotContain("exits_early", "never_answers", "unknown_plugin");
  }

  @Test
  void optionsPreflightNeedsNoTokenAndForeignOriginIsRefused() {
    assertThat(http.withToken(null).send("OPTIONS", "/api/kernels", null).status()).isEqualTo(200);
    assertError(http.get("/api/kernels", "Origin", "http://evil.example"), 404, "");
    assertThat(http.get("/api/kernels", "Origin", "http://127.0.0.1:" + gateway.port()).status()).isEqualTo(200);
  }

  @Test
  void apiDocumentIsServedAndNamesTheRoutes() {
    JsonObject document = http.withToken(null).get("/api/swagger.json").json();
    assertThat(document.getString("openapi")).startsWith("3.1");
    assertThat(document.getJsonObject("paths").fieldNames()).contains("/api/kernels", "/api/kernels/{kernel_id}/channels", "/api/sessions/{session_id}");
    assertThat(http.withToken(null).get("/api/swagger.yaml").header("Content-Type")).isEqualTo("text/x-yaml");
  }

  private static String startBody(String name, String user) {
    return new JsonObject().put("name", name).put("env", new JsonObject().put("KERNEL_USERNAME", user)).encode();
  }
}
