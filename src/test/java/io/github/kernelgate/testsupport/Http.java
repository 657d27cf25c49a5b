package io.github.kernelgate.testsupport;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A blocking HTTP client for tests, run on the test thread (never on an event loop). */
public final class Http {

  /** One response with its body as text. */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray jsonArray() {
      return new JsonArray(body);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
          .map(entry -> entry.getValue().get(0)).findFirst().orElse(null);
    }
  }

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  public Http(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  public Http withToken(String otherToken) {
    return new Http(Integer.parseInt(base.substring(base.lastIndexOf(':') + 1)), otherToken);
  }

  public Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  public Response post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  public Response patch(String path, String body, String... headers) {
    return send("PATCH", path, body, headers);
  }

  public Response delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  public Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "token " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.headers().map(), response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Sends {@code request} as raw bytes (for requests a well-behaved client refuses to make:
   * broken escapes, oversized lines) and answers the status and body; the server closes after.
   */
  public Response raw(String request) {
    int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      String text = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      int status = Integer.parseInt(text.split(" ", 3)[1]);
      int split = text.indexOf("\r\n\r\n");
      String body = split < 0 ? "" : text.substring(split + 4);
      return new Response(status, Map.of(), body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Sends a start of kernel {@code kernelId} (spec {@code name}, client env {@code env}) in the
   * background and returns once the gateway has registered it (or the start already answered):
   * the moment from which a DELETE lands during the start. The future is the start's answer.
   */
  public java.util.concurrent.CompletableFuture<Response> startInBackground(String name, String kernelId, JsonObject env)
      throws InterruptedException {
    String body = new JsonObject().put("name", name).put("env", env.copy().put("KERNEL_ID", kernelId)).encode();
    java.util.concurrent.CompletableFuture<Response> started = java.util.concurrent.CompletableFuture.supplyAsync(() -> post("/api/kernels", body));
    long deadline = System.currentTimeMillis() + 30_000;
    while (get("/api/kernels/" + kernelId).status() != 200 && !started.isDone()) {
      if (System.currentTimeMillis() > deadline) {
        throw new AssertionError("kernel " + kernelId + " was not registered within 30 s");
      }
      Thread.sleep(5);
    }
    return started;
  }

  /** Starts a kernel of {@code name} as {@code user}; fails the test unless it answers 201. */
  public String startKernel(String name, String user) {
    Response started = post("/api/kernels", new JsonObject().put("name", name)
        .put("env", new JsonObject().put("KERNEL_USERNAME", user)).encode());
    if (started.status() != 201) {
      throw new AssertionError("kernel start failed: " + started.status() + " " + started.body());
    }
    return started.json().getString("id");
  }
}
