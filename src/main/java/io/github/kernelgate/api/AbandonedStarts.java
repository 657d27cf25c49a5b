package io.github.kernelgate.api;

import io.github.kernelgate.bus.KernelCommands;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a start (of a kernel, of a new session's kernel, or of the kernel a session switches to)
 * whose client closes its connection before the answer: nobody would ever learn of that kernel,
 * and a client that gave up on a long launch queue would leave it running for good. Waiting for
 * its turn, the start never launches; launching, it is cut short; started while its answer could
 * not be sent, its kernel is deleted (a session switch that completed is left done: see
 * {@link SessionHandlers}).
 */
final class AbandonedStarts {

  private static final Logger LOG = LoggerFactory.getLogger(AbandonedStarts.class);

  private AbandonedStarts() {
  }

  /** {@code body} tagged with a new request id, whose start the lifecycle ends if the client of {@code ctx} hangs up first. */
  static JsonObject watch(RoutingContext ctx, KernelBus kernels, JsonObject body) {
    String request = UUID.randomUUID().toString();
    HttpServerResponse response = ctx.response();
    response.closeHandler(closed -> {
      if (!response.ended()) {
        kernels.abandonStart(request);
      }
    });
    return body.copy().put(KernelCommands.START_REQUEST, request);
  }

  /** Answers whether the client left before its start was answered; if so, the kernel started for it is deleted. */
  static boolean clientLeft(RoutingContext ctx, KernelBus kernels, String kernelId) {
    if (!ctx.response().closed()) {
      return false;
    }
    LOG.atInfo().addKeyValue("kernel_id", kernelId).log("the client of a start left before the answer: deleting the kernel");
    kernels.shutdown(kernelId).onFailure(gone -> LOG.debug("kernel {} was already ending: {}", kernelId, gone.getMessage()));
    return true;
  }
}
