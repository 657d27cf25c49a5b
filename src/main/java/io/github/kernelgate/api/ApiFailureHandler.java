package io.github.kernelgate.api;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Handler;
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
    GatewayException error = toError(ctx);
    if (error.status() >= 500) {
      LOG.error("request failed [method={}, path={}, status={}]: {}", ctx.request().method(), ctx.request().path(),
          error.status(), error.getMessage(), ctx.failure() instanceof GatewayException ? null : ctx.failure());
    } else {
      LOG.debug("request refused [method={}, path={}, status={}]: {}", ctx.request().method(), ctx.request().path(),
          error.status(), error.getMessage());
    }
    ApiResponses.error(ctx, error);
  }

  private static GatewayException toError(RoutingContext ctx) {
    if (ctx.failure() != null) {
      if (ctx.failure() instanceof io.vertx.ext.web.handler.HttpException http) {
        return fromStatus(http.getStatusCode(), http.getPayload());
      }
      return BusErrors.toException(ctx.failure());
    }
    return fromStatus(ctx.statusCode(), null);
  }

  private static GatewayException fromStatus(int status, String payload) {
    return switch (status) {
      case 413 -> new GatewayException(413, "Request body is too large");
      case 405 -> new GatewayException(405, "Method not allowed");
      case 400 -> GatewayException.badRequest(payload == null ? "Bad request" : payload);
      case -1, 500 -> GatewayException.internal("Unknown server error");
      default -> new GatewayException(status, payload == null ? "" : payload);
    };
  }
}
