package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.bus.KernelCommands;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.cluster.ReplicaDepartures;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Typed calls from the API to the kernel lifecycle; failures arrive as GatewayExceptions. A
 * command about one kernel goes to the replica that owns it (this one, in one process); lists
 * gather every replica's; a start is served here, so this replica owns what it starts.
 */
final class KernelBus {

  private static final Logger LOG = LoggerFactory.getLogger(KernelBus.class);

  private final Vertx vertx;
  private final KernelOwners owners;

  KernelBus(Vertx vertx, KernelOwners owners) {
    this.vertx = vertx;
    this.owners = owners;
  }

  Future<JsonObject> start(JsonObject body) {
    return call(Addresses.KERNEL_START, body);
  }

  /** The client of the start tagged {@code request} hung up (a start is served here: this replica's lifecycle). */
  void abandonStart(String request) {
    vertx.eventBus().send(Addresses.KERNEL_START_ABANDONED, new JsonObject().put(KernelCommands.START_REQUEST, request));
  }

  Future<JsonObject> list() {
    return gather(Addresses.KERNEL_LIST, "kernels");
  }

  Future<JsonObject> get(String kernelId) {
    return onOwner(kernelId, Addresses.KERNEL_GET, kernel(kernelId));
  }

  Future<JsonObject> shutdown(String kernelId) {
    return onOwner(kernelId, Addresses.KERNEL_SHUTDOWN, kernel(kernelId));
  }

  Future<JsonObject> interrupt(String kernelId) {
    return onOwner(kernelId, Addresses.KERNEL_INTERRUPT, kernel(kernelId));
  }

  Future<JsonObject> restart(String kernelId) {
    return onOwner(kernelId, Addresses.KERNEL_RESTART, kernel(kernelId));
  }

  /** The replica that owns a kernel: this one, or another one of the cluster. */
  Future<String> ownerOf(String kernelId) {
    return owners.ownerOf(kernelId);
  }

  boolean isSelf(String replica) {
    return owners.isSelf(replica);
  }

  Future<JsonObject> session(String address, JsonObject body) {
    if (address.equals(Addresses.SESSION_LIST)) {
      return gather(address, "sessions");
    }
    if (address.equals(Addresses.SESSION_CREATE)) {
      String kernelId = body.getValue("kernel") instanceof JsonObject kernel && kernel.getValue("id") instanceof String id ? id : null;
      // A session for an existing kernel is made where the kernel lives; one for a new kernel, here.
      return kernelId == null ? call(address, body) : onOwner(kernelId, address, body);
    }
    return onWhicheverHasIt(address, body);
  }

  private static JsonObject kernel(String kernelId) {
    return new JsonObject().put("kernel_id", kernelId);
  }

  private Future<JsonObject> onOwner(String kernelId, String address, JsonObject body) {
    return owners.ownerOf(kernelId).compose(owner -> callOn(owner, address, body));
  }

  /** Every replica's answer to {@code address}, their {@code field} arrays joined; a replica that does not answer is left out. */
  private Future<JsonObject> gather(String address, String field) {
    if (!owners.clustered()) {
      return call(address, new JsonObject());
    }
    return owners.replicas().compose(replicas -> {
      List<Future<JsonObject>> answers = replicas.stream().map(replica -> callOn(replica, address, new JsonObject())
          .onFailure(failure -> LOG.warn("replica {} did not answer {}: {}", replica, address, failure.getMessage()))).toList();
      return Future.join(answers).transform(done -> {
        JsonArray joined = new JsonArray();
        Throwable refused = null;
        for (Future<JsonObject> answer : answers) {
          if (answer.succeeded()) {
            answer.result().getJsonArray(field, new JsonArray()).forEach(joined::add);
          } else if (answer.cause() instanceof GatewayException known && known.status() == 403) {
            refused = known;
          }
        }
        // Listing forbidden (EG_LIST_KERNELS) is forbidden on every replica alike.
        return refused != null ? Future.failedFuture(refused) : Future.succeededFuture(new JsonObject().put(field, joined));
      });
    });
  }

  /** Sessions are kept by the replica that made them: the one that knows the session answers. */
  private Future<JsonObject> onWhicheverHasIt(String address, JsonObject body) {
    if (!owners.clustered()) {
      return call(address, body);
    }
    return call(address, body).recover(here -> {
      if (!(here instanceof GatewayException known) || known.status() != 404) {
        return Future.failedFuture(here);
      }
      return owners.replicas().compose(replicas -> {
        List<Future<JsonObject>> elsewhere = replicas.stream().filter(replica -> !owners.isSelf(replica))
            .map(replica -> callOn(replica, address, body)).toList();
        Promise<JsonObject> found = Promise.promise();
        elsewhere.forEach(answer -> answer.onSuccess(found::tryComplete));
        Future.join(elsewhere).onComplete(all -> found.tryFail(here));
        return found.future();
      });
    });
  }

  private Future<JsonObject> callOn(String replica, String address, JsonObject body) {
    if (owners.isSelf(replica)) {
      return call(address, body);
    }
    Future<JsonObject> answer = vertx.eventBus().<JsonObject>request(Addresses.onReplica(replica, address), body,
            new DeliveryOptions().setSendTimeout(KernelCommands.timeoutMillis(address)))
        .map(Message::body)
        .recover(failure -> Future.failedFuture(failure instanceof ReplyException reply && reply.failureType() == ReplyFailure.NO_HANDLERS
            // The owner left the cluster: a survivor takes its kernels over within seconds.
            ? KernelOwners.ownerLeft(replica) : BusErrors.toException(failure)));
    return ReplicaDepartures.answerUnlessItLeaves(vertx, replica, answer);
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return JsonBus.request(vertx, address, body, KernelCommands.timeoutMillis(address));
  }
}
