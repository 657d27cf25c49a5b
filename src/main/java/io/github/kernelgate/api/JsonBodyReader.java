package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Reads a request body as raw bytes, bounded by KG_MAX_BODY_BYTES (413 beyond), whatever its
 * declared Content-Type. Every body this API takes is JSON; clients such as {@code curl -d}
 * declare it {@code application/x-www-form-urlencoded}, and Vert.x Web's form decoding of such a
 * body fails on a field over 8 KiB. So nothing is decoded here: {@link RequestBodies} parses
 * the bytes as JSON, as EG does. A body that does not arrive within KG_REQUEST_BODY_TIMEOUT_SECS is a 408 and
 * the connection is closed, so a half-sent request cannot hold it forever.
 */
final class JsonBodyReader implements Handler<RoutingContext> {

  private static final String BODY = "kernelgate.request-body";

  private final Vertx vertx;
  private final long maxBytes;
  private final long timeoutMillis;

  JsonBodyReader(Vertx vertx, long maxBytes, long timeoutMillis) {
    this.vertx = vertx;
    this.maxBytes = maxBytes;
    this.timeoutMillis = timeoutMillis;
  }

  /** The body read for this request (empty when it had none). */
  static Buffer body(RoutingContext ctx) {
    Buffer body = ctx.get(BODY);
    return body == null ? Buffer.buffer() : body;
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    String declared = request.getHeader("Content-Length");
    if (declared != null && declaredTooLong(declared)) {
      ctx.fail(new GatewayException(413, "Request body is larger than " + maxBytes + " bytes"));
      return;
    }
    Buffer body = Buffer.buffer();
    boolean[] refused = {false};
    long timer = timeoutMillis <= 0 ? -1 : vertx.setTimer(timeoutMillis, fired -> {
      if (!refused[0]) {
        refused[0] = true;
        // The rest of the body may never come: the connection cannot serve another request.
        ctx.response().endHandler(sent -> request.connection().close());
        ctx.fail(new GatewayException(408, "The request body did not arrive within " + timeoutMillis / 1000 + " s"));
      }
    });
    request.handler(chunk -> {
      if (refused[0]) {
        return;
      }
      if (body.length() + chunk.length() > maxBytes) {
        refused[0] = true;
        ctx.fail(new GatewayException(413, "Request body is larger than " + maxBytes + " bytes"));
        return;
      }
      body.appendBuffer(chunk);
    });
    request.exceptionHandler(failure -> {
      if (!refused[0]) {
        refused[0] = true;
        ctx.fail(GatewayException.badRequest("Request body could not be read: " + failure.getMessage()));
      }
    });
    request.endHandler(end -> {
      vertx.cancelTimer(timer);
      if (!refused[0]) {
        ctx.put(BODY, body);
        ctx.next();
      }
    });
    request.resume();
  }

  private boolean declaredTooLong(String declared) {
    try {
      return Long.parseLong(declared.trim()) > maxBytes;
    } catch (NumberFormatException notANumber) {
      return false;
    }
  }
}
