package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Writing JSON answers and EG-shaped errors. */
final class ApiResponses {

  private ApiResponses() {
  }

  static void json(RoutingContext ctx, int status, Object body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(body instanceof JsonObject object ? object.encode() : io.vertx.core.json.Json.encode(body));
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
    json(ctx, error.status(), error.toJson());
  }
}
