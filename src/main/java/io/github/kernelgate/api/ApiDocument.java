package io.github.kernelgate.api;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;

/**
 * The OpenAPI 3.1 description of the routes, served without a token at EG's swagger paths and at
 * /openapi.json. JSON is valid YAML, so the same document serves the .yaml path.
 */
final class ApiDocument {

  private static final String RESOURCE = "/api/openapi.json";

  private final Vertx vertx;
  private Buffer document;

  ApiDocument(Vertx vertx) {
    this.vertx = vertx;
  }

  void serve(RoutingContext ctx, String contentType) {
    if (document != null) {
      ctx.response().putHeader("Content-Type", contentType).end(document);
      return;
    }
    vertx.executeBlocking(ApiDocument::read, false).onSuccess(read -> {
      document = read;
      ctx.response().putHeader("Content-Type", contentType).end(read);
    }).onFailure(ctx::fail);
  }

  private static Buffer read() throws IOException {
    try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException("missing resource " + RESOURCE);
      }
      return Buffer.buffer(in.readAllBytes());
    }
  }
}
