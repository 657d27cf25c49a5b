package io.github.kernelgate.kernel;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/** What sessions need from the lifecycle. Called on the lifecycle's event loop. */
interface KernelOperations {

  /** Starts a kernel from a start body ({@code {name?, env?, path?}}); answers its model. */
  Future<JsonObject> start(JsonObject body);

  Future<Void> shutdown(String kernelId);

  boolean exists(String kernelId);

  /** The kernel's model; fails with 404 for an unknown kernel. */
  JsonObject modelOf(String kernelId);
}
