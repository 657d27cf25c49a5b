package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Exposes a {@link ProcessProxy} on the event bus under {@code kernelgate.proxy.<name>.*} with
 * JSON bodies (see {@link ProxyVerbs}). A plugin in another jar, or another language through a
 * bus bridge, answers the same addresses with the same JSON.
 */
public final class ProxyEndpoint {

  private ProxyEndpoint() {
  }

  /**
   * Registers the seven verbs for any member of the bus (a plugin's proxy, which may run in its own
   * process on a clustered bus); the future completes when all consumers are registered.
   */
  public static Future<Void> expose(Vertx vertx, String proxyName, ProcessProxy proxy) {
    return expose(proxy, (verb, handler) -> JsonBus.answerAcrossCluster(vertx, Addresses.proxy(proxyName, verb), handler));
  }

  /**
   * As {@link #expose}, answering this process only: the built-in proxies, of which every replica
   * of a cluster runs its own (a kernel is launched by its own replica's proxy, whose handshake
   * listener expects it).
   */
  public static Future<Void> exposeInThisProcess(Vertx vertx, String proxyName, ProcessProxy proxy) {
    return expose(proxy, (verb, handler) -> JsonBus.answer(vertx, Addresses.proxy(proxyName, verb), handler));
  }

  private static Future<Void> expose(ProcessProxy proxy, BiFunction<String, Function<JsonObject, Future<JsonObject>>, Future<Void>> answer) {
    return Future.all(List.of(
        answer.apply(ProxyVerbs.LAUNCH, body -> proxy.launch(LaunchRequest.fromJson(body)).map(LaunchResult::toJson)),
        answer.apply(ProxyVerbs.POLL, body -> proxy.isAlive(id(body)).map(alive -> new JsonObject().put("alive", alive))),
        answer.apply(ProxyVerbs.SIGNAL, body -> proxy.signal(id(body), body.getInteger("signum", 2)).map(v -> new JsonObject())),
        answer.apply(ProxyVerbs.WAIT_EXIT, body -> proxy.waitForExit(id(body), body.getLong("timeout_ms", 5_000L))
            .map(exited -> new JsonObject().put("exited", exited))),
        answer.apply(ProxyVerbs.KILL, body -> proxy.kill(id(body)).map(v -> new JsonObject())),
        answer.apply(ProxyVerbs.CLEANUP, body -> proxy.cleanup(id(body)).map(v -> new JsonObject())),
        answer.apply(ProxyVerbs.ADOPT, body -> proxy.adopt(id(body), body.getString("launch_id"),
            body.getJsonObject("process_info", new JsonObject())).map(alive -> new JsonObject().put("alive", alive))))).mapEmpty();
  }

  private static String id(JsonObject body) {
    return body.getString("kernel_id");
  }
}
