package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers and EG-shaped errors. */
final class ApiResponses {

  static final String JSON = "application/json";

  private ApiResponses() {
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", JSON)
        .end(body instanceof JsonObject object ? object.encode() : Json.encode(body));
  }

  static void noContent(RoutingContext ctx) {
    ctx.response().setStatusCode(204).end();
  }

  static void error(RoutingContext ctx, GatewayException error) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    if (error.retryAfterSeconds() > 0) {
      ctx.response().putHeader("Retry-After", String.valueOf(error.retryAfterSeconds()));
    }
    json(ctx, error.status(), error.toJson());
  }
}
