package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Reads JSON request bodies with clear 400s, whatever Content-Type the client declared. */
final class RequestBodies {

  /** No body of this API nests deeper than a few levels; a deeper one is refused before it is parsed. */
  static final int MAX_NESTING = 64;

  private RequestBodies() {
  }

  /** The body as a JSON object; an empty body is {@code {}} unless {@code required}. */
  static JsonObject object(RoutingContext ctx, boolean required, String emptyMessage) {
    Buffer body = JsonBodyReader.body(ctx);
    if (body.length() == 0 || body.toString().isBlank()) {
      if (required) {
        throw GatewayException.badRequest(emptyMessage);
      }
      return new JsonObject();
    }
    if (nestingDepth(body) > MAX_NESTING) {
      throw GatewayException.badRequest("Invalid JSON in body of request: nested deeper than " + MAX_NESTING + " levels");
    }
    try {
      Object parsed = Json.decodeValue(body);
      if (parsed instanceof JsonObject object) {
        return object;
      }
      throw GatewayException.badRequest("Request body must be a JSON object");
    } catch (DecodeException notJson) {
      String declared = ctx.request().getHeader("Content-Type");
      throw GatewayException.badRequest("Invalid JSON in body of request"
          + (declared == null || declared.contains("json") ? "" : " (the body must be JSON, whatever the Content-Type; got " + declared + ")"));
    }
  }

  /** The deepest nesting of brackets and braces outside strings: a linear scan, no recursion. */
  static int nestingDepth(Buffer json) {
    int depth = 0;
    int deepest = 0;
    boolean inString = false;
    boolean escaped = false;
    for (int i = 0; i < json.length(); i++) {
      byte b = json.getByte(i);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
      } else if (b == '"') {
        inString = true;
      } else if (b == '[' || b == '{') {
        deepest = Math.max(deepest, ++depth);
      } else if (b == ']' || b == '}') {
        depth--;
      }
    }
    return deepest;
  }
}
