package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * Exposes a {@link ProcessProxy} on the event bus under {@code kernelgate.proxy.<name>.*} with
 * JSON bodies (see {@link ProxyVerbs}). A plugin in another jar, or another language through a
 * bus bridge, answers the same addresses with the same JSON.
 */
public final class ProxyEndpoint {

  private ProxyEndpoint() {
  }

  /** Registers the six verbs; the future completes when all consumers are registered. */
  public static Future<List<MessageConsumer<JsonObject>>> expose(Vertx vertx, String proxyName, ProcessProxy proxy) {
    EventBus bus = vertx.eventBus();
    List<MessageConsumer<JsonObject>> consumers = List.of(
        answer(bus, proxyName, ProxyVerbs.LAUNCH, body -> proxy.launch(LaunchRequest.fromJson(body)).map(LaunchResult::toJson)),
        answer(bus, proxyName, ProxyVerbs.POLL, body -> proxy.isAlive(id(body)).map(alive -> new JsonObject().put("alive", alive))),
        answer(bus, proxyName, ProxyVerbs.SIGNAL, body -> proxy.signal(id(body), body.getInteger("signum", 2)).map(v -> new JsonObject())),
        answer(bus, proxyName, ProxyVerbs.WAIT_EXIT, body -> proxy.waitForExit(id(body), body.getLong("timeout_ms", 5_000L))
            .map(exited -> new JsonObject().put("exited", exited))),
        answer(bus, proxyName, ProxyVerbs.KILL, body -> proxy.kill(id(body)).map(v -> new JsonObject())),
        answer(bus, proxyName, ProxyVerbs.CLEANUP, body -> proxy.cleanup(id(body)).map(v -> new JsonObject())));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(all -> consumers);
  }

  private static String id(JsonObject body) {
    return body.getString("kernel_id");
  }

  private static MessageConsumer<JsonObject> answer(EventBus bus, String proxyName, String verb,
                                                    Function<JsonObject, Future<JsonObject>> handler) {
    return bus.consumer(Addresses.proxy(proxyName, verb), (Message<JsonObject> request) -> {
      Future<JsonObject> reply;
      try {
        reply = handler.apply(request.body());
      } catch (RuntimeException e) {
        reply = Future.failedFuture(e);
      }
      reply.onSuccess(request::reply).onFailure(failure -> BusErrors.fail(request, failure));
    });
  }
}
