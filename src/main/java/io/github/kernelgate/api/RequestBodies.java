package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads JSON request bodies with clear 400s. */
final class RequestBodies {

  private RequestBodies() {
  }

  /** The body as a JSON object; an empty body is {@code {}} unless {@code required}. */
  static JsonObject object(RoutingContext ctx, boolean required, String emptyMessage) {
    if (ctx.body() == null || ctx.body().buffer() == null || ctx.body().buffer().toString().isBlank()) {
      if (required) {
        throw GatewayException.badRequest(emptyMessage);
      }
      return new JsonObject();
    }
    try {
      Object parsed = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
      if (parsed instanceof JsonObject object) {
        return object;
      }
      throw GatewayException.badRequest("Request body must be a JSON object");
    } catch (DecodeException notJson) {
      throw GatewayException.badRequest("Invalid JSON in body of request");
    }
  }
}
