package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The sessions API in the Jupyter Server shape, all verbs, with real kernels behind it. */
class SessionsIT {

  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start();
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  @Test
  void sessionCrudWithANewKernel() {
    Http.Response created = http.post("/api/sessions", new JsonObject().put("path", "work/a.ipynb").put("type", "notebook")
        .put("name", "a.ipynb").put("kernel", new JsonObject().put("name", "python3")
            .put("env", new JsonObject().put("KERNEL_USERNAME", "sessions"))).encode());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject session = created.json();
    String sessionId = session.getString("id");
    String kernelId = session.getJsonObject("kernel").getString("id");
    assertThat(created.header("Location")).isEqualTo("/api/sessions/" + sessionId);
    assertThat(session.getString("path")).isEqualTo("work/a.ipynb");
    assertThat(http.get("/api/kernels/" + kernelId).status()).isEqualTo(200);

    assertThat(http.get("/api/sessions/" + sessionId).json().getString("path")).isEqualTo("work/a.ipynb");
    assertThat(http.get("/api/sessions").jsonArray().stream().map(item -> ((JsonObject) item).getString("id"))).contains(sessionId);

    JsonObject patched = http.patch("/api/sessions/" + sessionId, new JsonObject().put("path", "work/b.ipynb").put("name", "b").encode()).json();
    assertThat(patched.getString("path")).isEqualTo("work/b.ipynb");
    assertThat(patched.getString("name")).isEqualTo("b");
    assertThat(patched.getJsonObject("kernel").getString("id")).isEqualTo(kernelId);

    assertThat(http.delete("/api/sessions/" + sessionId).status()).isEqualTo(204);
    assertThat(http.get("/api/sessions/" + sessionId).status()).isEqualTo(404);
    assertThat(http.get("/api/kernels/" + kernelId).status()).isEqualTo(404);
  }

  @Test
  void sessionCanNameAnExistingKernelAndFollowsItsShutdown() {
    String kernelId = http.startKernel("python3", RunningGateway.USER);
    JsonObject session = http.post("/api/sessions", new JsonObject().put("path", "existing.ipynb").put("type", "notebook")
        .put("kernel", new JsonObject().put("id", kernelId)).encode()).json();
    assertThat(session.getJsonObject("kernel").getString("id")).isEqualTo(kernelId);
    assertThat(http.delete("/api/kernels/" + kernelId).status()).isEqualTo(204);
    assertThat(http.get("/api/sessions/" + session.getString("id")).status()).isEqualTo(404);
  }

  @Test
  void patchCanMoveASessionToAnotherKernel() {
    String first = http.startKernel("python3", RunningGateway.USER);
    String second = http.startKernel("python3", RunningGateway.USER);
    try {
      String sessionId = http.post("/api/sessions", new JsonObject().put("path", "move.ipynb").put("type", "notebook")
          .put("kernel", new JsonObject().put("id", first)).encode()).json().getString("id");
      JsonObject moved = http.patch("/api/sessions/" + sessionId, new JsonObject().put("kernel", new JsonObject().put("id", second)).encode()).json();
      assertThat(moved.getJsonObject("kernel").getString("id")).isEqualTo(second);
      http.delete("/api/sessions/" + sessionId);
    } finally {
      http.delete("/api/kernels/" + first);
      http.delete("/api/kernels/" + second);
    }
  }

  @Test
  void badSessionRequestsAreClearErrors() {
    assertThat(http.post("/api/sessions", "").status()).isEqualTo(400);
    Http.Response noPath = http.post("/api/sessions", "{\"type\": \"notebook\"}");
    assertThat(noPath.status()).isEqualTo(400);
    assertThat(noPath.json().getString("message")).contains("path");
    assertThat(http.post("/api/sessions", "{\"path\": 3, \"type\": \"notebook\"}").status()).isEqualTo(400);
    Http.Response unknownKernel = http.post("/api/sessions", new JsonObject().put("path", "x").put("type", "notebook")
        .put("kernel", new JsonObject().put("id", "00000000-0000-4000-8000-000000000000")).encode());
    assertThat(unknownKernel.status()).isEqualTo(404);
    assertThat(http.get("/api/sessions/00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
    assertThat(http.delete("/api/sessions/00000000-0000-4000-8000-000000000000").status()).isEqualTo(404);
  }
}
