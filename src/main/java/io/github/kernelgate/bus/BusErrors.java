package io.github.kernelgate.bus;

import io.github.kernelgate.plugin.ProxyFailure;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping between failures and the event bus. A handler fails a request with
 * {@link #fail(Message, Throwable)}; a caller turns the {@link ReplyException} back into a
 * {@link GatewayException} with {@link #toException(Throwable)}: TIMEOUT is 503, NO_HANDLERS
 * 500, RECIPIENT_FAILURE carries the status and the JSON error body of the recipient.
 */
public final class BusErrors {

  private static final Logger LOG = LoggerFactory.getLogger(BusErrors.class);

  private BusErrors() {
  }

  /** Fails {@code request} so that the caller can rebuild the same {@link GatewayException}. */
  public static void fail(Message<?> request, Throwable failure) {
    GatewayException error = toException(failure);
    if (error.status() >= 500 && !(failure instanceof GatewayException)) {
      LOG.atError().addKeyValue("address", request.address()).setCause(failure).log("request failed");
    }
    request.fail(error.status(), error.toBusJson().encode());
  }

  /** Turns any failure (bus, domain or unexpected) into a {@link GatewayException}. */
  public static GatewayException toException(Throwable failure) {
    if (failure instanceof GatewayException gatewayException) {
      return gatewayException;
    }
    if (failure instanceof ProxyFailure proxyFailure) {
      return new GatewayException(proxyFailure.status(), proxyFailure.reason(), proxyFailure.getMessage());
    }
    if (failure instanceof ReplyException reply) {
      return switch (reply.failureType()) {
        case TIMEOUT -> GatewayException.unavailable("A gateway component did not answer in time");
        case NO_HANDLERS -> GatewayException.internal("No gateway component answers: " + reply.getMessage());
        default -> fromRecipient(reply);
      };
    }
    return GatewayException.internal("Unknown server error");
  }

  private static GatewayException fromRecipient(ReplyException reply) {
    int status = reply.failureCode() >= 400 && reply.failureCode() < 600 ? reply.failureCode() : 500;
    try {
      JsonObject body = new JsonObject(reply.getMessage());
      return new GatewayException(status, body.getString("reason", HttpPhrases.of(status)), body.getString("message", ""),
          body.getInteger("retry_after", 0));
    } catch (DecodeException | NullPointerException | ClassCastException notJson) {
      return new GatewayException(status, String.valueOf(reply.getMessage()));
    }
  }
}
