package io.github.kernelgate.api;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP answers: EG's {@code {"reason","message"}} JSON for every
 * failure, never HTML and never a stack trace. 4xx are logged at debug, 5xx at error.
 */
final class ApiFailureHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ApiFailureHandler.class);

  @Override
  public void handle(RoutingContext ctx) {
    respond(ctx, toError(ctx));
  }

  /**
   * The handler of failures the router meets outside any route; it passes neither the failure
   * nor the status to the handler, only calls the one registered for that status.
   */
  Handler<RoutingContext> forStatus(int status) {
    return ctx -> {
      if (ctx.failure() != null) {
        respond(ctx, toError(ctx));
      } else if (status == 400) {
        // The router's only failure of its own before a route is decoding the path.
        respond(ctx, GatewayException.badRequest("The request path could not be decoded (an invalid percent-encoding?)"));
      } else {
        respond(ctx, fromStatus(status, null));
      }
    };
  }

  private static void respond(RoutingContext ctx, GatewayException error) {
    if (error.status() >= 500) {
      LOG.atError().addKeyValue("method", ctx.request().method()).addKeyValue("path", ctx.request().path())
          .addKeyValue("status", error.status()).setCause(ctx.failure() instanceof GatewayException ? null : ctx.failure())
          .log("request failed: {}", error.getMessage());
    } else {
      LOG.atDebug().addKeyValue("method", ctx.request().method()).addKeyValue("path", ctx.request().path())
          .addKeyValue("status", error.status()).log("request refused: {}", error.getMessage());
    }
    ApiResponses.error(ctx, error);
  }

  private static GatewayException toError(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http) {
      return fromStatus(http.getStatusCode(), http.getPayload());
    }
    if (failure instanceof IllegalArgumentException invalid && isBadEscape(invalid)) {
      // Raised by Vert.x Web while decoding the path, before or inside a route.
      return GatewayException.badRequest("The request path has an invalid percent-encoding: " + invalid.getMessage());
    }
    if (failure != null) {
      return BusErrors.toException(failure);
    }
    return fromStatus(ctx.statusCode(), null);
  }

  private static boolean isBadEscape(IllegalArgumentException invalid) {
    return invalid.getMessage() != null && invalid.getMessage().contains("escape sequence");
  }

  /**
   * Requests the HTTP decoder refused before any route saw them (a request line or headers too
   * long, a malformed request line, an HTTP version other than 1.x): the same JSON body, then the connection is closed.
   */
  static void invalidRequest(HttpServerRequest request) {
    Throwable cause = request.decoderResult().cause();
    GatewayException error;
    if (cause instanceof TooLongHttpLineException) {
      error = new GatewayException(414, "The request line is too long");
    } else if (cause instanceof TooLongHttpHeaderException) {
      error = new GatewayException(431, "The request headers are too large");
    } else if (cause instanceof HttpVersionGuard.UnsupportedVersionException) {
      error = new GatewayException(505, cause.getMessage());
    } else {
      error = GatewayException.badRequest("Malformed HTTP request" + (cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
    LOG.atDebug().addKeyValue("status", error.status()).log("invalid request refused: {}", error.getMessage());
    request.response().setStatusCode(error.status()).putHeader("Content-Type", ApiResponses.JSON)
        .end(error.toJson().encode()).onComplete(done -> request.connection().close());
  }

  private static GatewayException fromStatus(int status, String payload) {
    return switch (status) {
      case 413 -> new GatewayException(413, "Request body is too large");
      case 405 -> new GatewayException(405, "Method not allowed");
      case 404 -> GatewayException.notFound(payload == null ? "Not found" : payload);
      case 400 -> GatewayException.badRequest(payload == null ? "Bad request" : payload);
      case -1, 500 -> GatewayException.internal("Unknown server error");
      default -> new GatewayException(status, payload == null ? "" : payload);
    };
  }
}
