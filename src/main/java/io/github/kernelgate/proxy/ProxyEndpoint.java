package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
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

  /** Registers the seven verbs; the future completes when all consumers are registered. */
  public static Future<Void> expose(Vertx vertx, String proxyName, ProcessProxy proxy) {
    return Future.all(List.of(
        answer(vertx, proxyName, ProxyVerbs.LAUNCH, body -> proxy.launch(LaunchRequest.fromJson(body)).map(LaunchResult::toJson)),
        answer(vertx, proxyName, ProxyVerbs.POLL, body -> proxy.isAlive(id(body)).map(alive -> new JsonObject().put("alive", alive))),
        answer(vertx, proxyName, ProxyVerbs.SIGNAL, body -> proxy.signal(id(body), body.getInteger("signum", 2)).map(v -> new JsonObject())),
        answer(vertx, proxyName, ProxyVerbs.WAIT_EXIT, body -> proxy.waitForExit(id(body), body.getLong("timeout_ms", 5_000L))
            .map(exited -> new JsonObject().put("exited", exited))),
        answer(vertx, proxyName, ProxyVerbs.KILL, body -> proxy.kill(id(body)).map(v -> new JsonObject())),
        answer(vertx, proxyName, ProxyVerbs.CLEANUP, body -> proxy.cleanup(id(body)).map(v -> new JsonObject())),
        answer(vertx, proxyName, ProxyVerbs.ADOPT, body -> proxy.adopt(id(body), body.getString("launch_id"),
            body.getJsonObject("process_info", new JsonObject())).map(alive -> new JsonObject().put("alive", alive))))).mapEmpty();
  }

  private static String id(JsonObject body) {
    return body.getString("kernel_id");
  }

  private static Future<Void> answer(Vertx vertx, String proxyName, String verb, Function<JsonObject, Future<JsonObject>> handler) {
    return JsonBus.answer(vertx, Addresses.proxy(proxyName, verb), handler);
  }
}
