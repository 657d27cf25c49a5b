package io.github.kernelgate.bus;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The two halves of every JSON command on the bus: a request with a timeout whose failures come
 * back as {@link GatewayException}s, and a consumer that answers with a future's result or fails
 * the request the way {@link BusErrors} maps back. The typed clients and the verticles use these.
 */
public final class JsonBus {

  private JsonBus() {
  }

  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMillis) {
    return request(vertx, address, body, timeoutMillis, null);
  }

  /** As {@link #request(Vertx, String, JsonObject, long)}, with the text to report when nothing answers on the address. */
  public static Future<JsonObject> request(Vertx vertx, String address, JsonObject body, long timeoutMillis, String whenNobodyAnswers) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMillis))
        .map(Message::body)
        .recover(failure -> {
          if (whenNobodyAnswers != null && failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS) {
            return Future.failedFuture(GatewayException.internal(whenNobodyAnswers));
          }
          return Future.failedFuture(BusErrors.toException(failure));
        });
  }

  /**
   * Answers {@code address} for this process only (a local consumer: on a clustered bus, another
   * replica's request never reaches it) with {@code handler}; a handler that throws fails the
   * request like a failed future. Every internal command is answered this way.
   */
  public static Future<Void> answer(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>localConsumer(address, request -> reply(request, handler)).completion();
  }

  /**
   * As {@link #answer}, for requests from any member of the cluster: only the addresses meant to
   * cross processes (a replica's door, plugins in their own process).
   */
  public static Future<Void> answerAcrossCluster(Vertx vertx, String address, Function<JsonObject, Future<JsonObject>> handler) {
    return vertx.eventBus().<JsonObject>consumer(address, request -> reply(request, handler)).completion();
  }

  private static void reply(Message<JsonObject> request, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> reply;
    try {
      reply = handler.apply(request.body() == null ? new JsonObject() : request.body());
    } catch (RuntimeException e) {
      reply = Future.failedFuture(e);
    }
    reply.onSuccess(request::reply).onFailure(failure -> BusErrors.fail(request, failure));
  }
}
