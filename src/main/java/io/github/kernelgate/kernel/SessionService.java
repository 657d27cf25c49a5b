package io.github.kernelgate.kernel;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.bus.KernelCommands;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * The sessions API in the Jupyter Server shape, all verbs working: create (a new kernel, or an
 * existing one named by {@code kernel.id}), list, get, patch (path, name, type, or another
 * kernel) and delete (which shuts the kernel down). Every change is passed on, so the sessions
 * are kept in their kernel's record and outlive a gateway restart with it.
 */
final class SessionService {

  private final KernelOperations kernels;
  private final GatewayConfig config;
  /** Told the id of a kernel whose sessions changed, so its record is written again. */
  private final Consumer<String> changed;
  private final SessionRegistry sessions = new SessionRegistry();

  SessionService(KernelOperations kernels, GatewayConfig config, Consumer<String> changed) {
    this.kernels = kernels;
    this.config = config;
    this.changed = changed;
  }

  /** A kernel's sessions as its record keeps them. */
  JsonArray recordsOf(String kernelId) {
    return sessions.recordsOf(kernelId);
  }

  /** Puts back the sessions of a kernel taken over after a restart, from its record. */
  void restore(String kernelId, JsonArray recorded) {
    sessions.restore(kernelId, recorded);
  }

  /** Body: the client's JSON. Reply: {@code {created: boolean, session: model}}. */
  Future<JsonObject> create(JsonObject body) {
    String path = requiredString(body, "path");
    String type = requiredString(body, "type");
    String name = optionalString(body, "name", "");
    JsonObject kernel = optionalObject(body, "kernel");
    var existing = sessions.findByPath(path);
    if (existing.isPresent() && kernels.exists(existing.get().kernelId)) {
      return Future.succeededFuture(new JsonObject().put("created", false).put("session", model(existing.get())));
    }
    return kernelFor(kernel, path, body.getValue(KernelCommands.START_REQUEST)).map(kernelId -> {
      SessionRegistry.Session session = sessions.create(path, name, type, kernelId);
      changed.accept(kernelId);
      return new JsonObject().put("created", true).put("session", model(session));
    });
  }

  private Future<String> kernelFor(JsonObject kernel, String path, Object startRequest) {
    String kernelId = optionalString(kernel, "id", null);
    if (kernelId != null) {
      kernels.modelOf(kernelId);
      return Future.succeededFuture(kernelId);
    }
    JsonObject start = new JsonObject().put("name", optionalString(kernel, "name", null)).put("path", path);
    if (kernel.containsKey("env")) {
      start.put("env", kernel.getValue("env"));
    }
    if (startRequest != null) {
      start.put(KernelCommands.START_REQUEST, startRequest);
    }
    return kernels.start(start).map(model -> model.getString("id"));
  }

  Future<JsonObject> list(JsonObject body) {
    if (!config.listKernels()) {
      throw GatewayException.forbidden("Forbidden");
    }
    JsonArray all = new JsonArray();
    sessions.all().stream().filter(session -> kernels.exists(session.kernelId)).forEach(session -> all.add(model(session)));
    return Future.succeededFuture(new JsonObject().put("sessions", all));
  }

  Future<JsonObject> get(JsonObject body) {
    return Future.succeededFuture(model(find(body.getString("session_id"))));
  }

  /** Body: {@code {session_id, patch}}. */
  Future<JsonObject> update(JsonObject body) {
    SessionRegistry.Session session = find(body.getString("session_id"));
    JsonObject patch = body.getJsonObject("patch", new JsonObject());
    String path = optionalString(patch, "path", session.path);
    String name = optionalString(patch, "name", session.name);
    String type = optionalString(patch, "type", session.type);
    JsonObject kernel = optionalObject(patch, "kernel");
    Future<String> kernelId = Future.succeededFuture(session.kernelId);
    String oldKernel = session.kernelId;
    if (kernel.getValue("id") != null) {
      kernelId = kernelFor(new JsonObject().put("id", optionalString(kernel, "id", null)), path, null);
    } else if (kernel.getValue("name") != null) {
      String currentName = kernels.exists(oldKernel) ? kernels.modelOf(oldKernel).getString("name") : null;
      if (!optionalString(kernel, "name", "").equals(currentName)) {
        kernelId = kernelFor(new JsonObject().put("name", optionalString(kernel, "name", null)), path,
            body.getValue(KernelCommands.START_REQUEST))
            .compose(started -> (kernels.exists(oldKernel) ? kernels.shutdown(oldKernel) : Future.<Void>succeededFuture())
                .transform(done -> Future.succeededFuture(started)));
      }
    }
    return kernelId.map(chosen -> {
      session.path = path;
      session.name = name;
      session.type = type;
      session.kernelId = chosen;
      changed.accept(chosen);
      if (!chosen.equals(oldKernel)) {
        changed.accept(oldKernel);
      }
      return model(session);
    });
  }

  Future<JsonObject> delete(JsonObject body) {
    SessionRegistry.Session session = find(body.getString("session_id"));
    sessions.remove(session.id);
    changed.accept(session.kernelId);
    if (!kernels.exists(session.kernelId)) {
      return Future.succeededFuture(new JsonObject());
    }
    return kernels.shutdown(session.kernelId).map(new JsonObject());
  }

  void kernelGone(String kernelId) {
    sessions.removeKernel(kernelId);
  }

  private SessionRegistry.Session find(String sessionId) {
    return sessions.find(sessionId).orElseThrow(() -> GatewayException.notFound("Session not found: " + sessionId));
  }

  private JsonObject model(SessionRegistry.Session session) {
    JsonObject kernel = kernels.exists(session.kernelId) ? kernels.modelOf(session.kernelId)
        : new JsonObject().put("id", session.kernelId).put("execution_state", "dead");
    return session.toModel(kernel);
  }

  private static String requiredString(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      throw GatewayException.badRequest("Missing field in JSON data: " + field);
    }
    if (!(value instanceof String text)) {
      throw GatewayException.badRequest("Field '" + field + "' must be a string");
    }
    return text;
  }

  private static String optionalString(JsonObject body, String field, String fallback) {
    Object value = body.getValue(field);
    if (value == null) {
      return fallback;
    }
    if (!(value instanceof String text)) {
      throw GatewayException.badRequest("Field '" + field + "' must be a string");
    }
    return text;
  }

  private static JsonObject optionalObject(JsonObject body, String field) {
    Object value = body.getValue(field);
    if (value == null) {
      return new JsonObject();
    }
    if (!(value instanceof JsonObject object)) {
      throw GatewayException.badRequest("Field '" + field + "' must be a JSON object");
    }
    return object;
  }
}
