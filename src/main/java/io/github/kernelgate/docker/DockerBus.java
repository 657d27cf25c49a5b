package io.github.kernelgate.docker;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Typed calls to the Docker verticle; every call has a timeout, failures are GatewayExceptions. */
public final class DockerBus {

  private static final long TIMEOUT_MILLIS = 90_000;

  private final Vertx vertx;

  public DockerBus(Vertx vertx) {
    this.vertx = vertx;
  }

  public Future<String> createContainer(KernelContainerSpec spec) {
    return call(Addresses.DOCKER_CREATE_CONTAINER, spec.toJson()).map(reply -> reply.getString("id"));
  }

  public Future<Void> startContainer(String id) {
    return call(Addresses.DOCKER_START_CONTAINER, new JsonObject().put("id", id)).mapEmpty();
  }

  /** {@code {id, name, status, running, exit_code, error, ip, labels}}. */
  public Future<JsonObject> inspectContainer(String id, String network) {
    return call(Addresses.DOCKER_INSPECT_CONTAINER, new JsonObject().put("id", id).put("network", network));
  }

  public Future<Void> removeContainer(String id, boolean keep) {
    return call(Addresses.DOCKER_REMOVE_CONTAINER, new JsonObject().put("id", id).put("keep", keep)).mapEmpty();
  }

  public Future<String> createService(KernelContainerSpec spec) {
    return call(Addresses.DOCKER_CREATE_SERVICE, spec.toJson()).map(reply -> reply.getString("id"));
  }

  public Future<Void> removeService(String id) {
    return call(Addresses.DOCKER_REMOVE_SERVICE, new JsonObject().put("id", id)).mapEmpty();
  }

  /** {@code {tasks: [{id, state, desired_state, message, error, container_id, ip}]}}. */
  public Future<JsonObject> listTasks(String service, String network) {
    return call(Addresses.DOCKER_LIST_TASKS, new JsonObject().put("service", service).put("network", network));
  }

  public Future<JsonObject> ping() {
    return call(Addresses.DOCKER_PING, new JsonObject());
  }

  private Future<JsonObject> call(String address, JsonObject body) {
    return JsonBus.request(vertx, address, body, TIMEOUT_MILLIS);
  }

}
