package io.github.kernelgate.plugin;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Answers a {@link ProcessProxy}'s verbs on the event bus ({@link ProxyContract#address}) with the
 * JSON bodies of {@link ProxyVerbs}. Failures go back as {@link ProxyFailure}s: their status as the
 * failure code, {@code {"reason", "message"}} as the text; anything else as a 500.
 */
public final class ProxyEndpoint {

  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();

  private ProxyEndpoint() {
  }

  /**
   * Answers for any member of a clustered bus: a proxy in a process of its own. Run one such
   * process per proxy name (the bus spreads requests over all consumers of an address), or keep a
   * kernel's state where every instance can read it. Completes once every verb is registered.
   */
  public static Future<ProxyEndpoint> expose(Vertx vertx, String proxyName, ProcessProxy proxy) {
    return new ProxyEndpoint().register(proxy, address -> vertx.eventBus().consumer(ProxyContract.address(proxyName, address)));
  }

  /**
   * As {@link #expose}, for this process only: each gateway replica runs its own instance, and a
   * kernel is served by the instance of the replica that launched it. Built-in proxies and plugins
   * loaded into the gateway are exposed this way.
   */
  public static Future<ProxyEndpoint> exposeInThisProcess(Vertx vertx, String proxyName, ProcessProxy proxy) {
    return new ProxyEndpoint().register(proxy, address -> vertx.eventBus().localConsumer(ProxyContract.address(proxyName, address)));
  }

  /** Stops answering. */
  public Future<Void> close() {
    return Future.all(consumers.stream().map(MessageConsumer::unregister).toList()).mapEmpty();
  }

  private Future<ProxyEndpoint> register(ProcessProxy proxy, Function<String, MessageConsumer<JsonObject>> consumerOf) {
    answer(consumerOf, ProxyVerbs.LAUNCH, body -> {
      kernelId(body);
      return proxy.launch(LaunchRequest.fromJson(body)).map(LaunchResult::toJson);
    });
    answer(consumerOf, ProxyVerbs.POLL, body -> proxy.isAlive(kernelId(body)).map(alive -> new JsonObject().put("alive", alive)));
    answer(consumerOf, ProxyVerbs.SIGNAL, body -> proxy.signal(kernelId(body), body.getInteger("signum", 2)).map(v -> new JsonObject()));
    answer(consumerOf, ProxyVerbs.WAIT_EXIT, body -> proxy.waitForExit(kernelId(body), body.getLong("timeout_ms", 5_000L))
        .map(exited -> new JsonObject().put("exited", exited)));
    answer(consumerOf, ProxyVerbs.KILL, body -> proxy.kill(kernelId(body)).map(v -> new JsonObject()));
    answer(consumerOf, ProxyVerbs.CLEANUP, body -> proxy.cleanup(kernelId(body)).map(v -> new JsonObject()));
    answer(consumerOf, ProxyVerbs.ADOPT, body -> proxy.adopt(kernelId(body), body.getString("launch_id"),
        body.getJsonObject("process_info", new JsonObject())).map(alive -> new JsonObject().put("alive", alive)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).map(this);
  }

  private void answer(Function<String, MessageConsumer<JsonObject>> consumerOf, String verb, Function<JsonObject, Future<JsonObject>> handler) {
    MessageConsumer<JsonObject> consumer = consumerOf.apply(verb);
    consumer.handler(request -> reply(request, handler));
    consumers.add(consumer);
  }

  private static void reply(Message<JsonObject> request, Function<JsonObject, Future<JsonObject>> handler) {
    Future<JsonObject> answer;
    try {
      answer = handler.apply(request.body() == null ? new JsonObject() : request.body());
    } catch (RuntimeException thrown) {
      answer = Future.failedFuture(thrown);
    }
    answer.onSuccess(request::reply).onFailure(failure -> {
      ProxyFailure known = failure instanceof ProxyFailure proxyFailure ? proxyFailure
          : ProxyFailure.internal("process proxy failed: " + (failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage()));
      request.fail(known.status() >= 400 && known.status() <= 599 ? known.status() : 500, known.toJson().encode());
    });
  }

  private static String kernelId(JsonObject body) {
    String kernelId = body.getString("kernel_id");
    if (kernelId == null || kernelId.isBlank()) {
      throw ProxyFailure.badRequest("kernel_id is missing");
    }
    return kernelId;
  }
}
