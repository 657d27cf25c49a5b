package io.github.kernelgate.kernel;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Sessions in the Jupyter Server shape: a session names a kernel for a path. Sessions are a
 * view on kernels, so they live next to the kernel registry, are kept in their kernel's record,
 * and die with their kernel.
 */
final class SessionRegistry {

  /** One session; mutable fields change with PATCH. */
  static final class Session {
    final String id;
    String path;
    String name;
    String type;
    String kernelId;

    Session(String id, String path, String name, String type, String kernelId) {
      this.id = id;
      this.path = path;
      this.name = name;
      this.type = type;
      this.kernelId = kernelId;
    }

    /** What a kernel's record keeps of it (the kernel is the record's own). */
    JsonObject toRecord() {
      return new JsonObject().put("id", id).put("path", path).put("name", name).put("type", type);
    }

    JsonObject toModel(JsonObject kernelModel) {
      return new JsonObject().put("id", id).put("path", path).put("name", name).put("type", type)
          .put("kernel", kernelModel).put("notebook", new JsonObject().put("path", path).put("name", name));
    }
  }

  private final Map<String, Session> sessions = new LinkedHashMap<>();

  Session create(String path, String name, String type, String kernelId) {
    Session session = new Session(UUID.randomUUID().toString(), path, name, type, kernelId);
    sessions.put(session.id, session);
    return session;
  }

  /** Puts back the sessions a taken-over kernel's record keeps; entries without an id or a path are skipped. */
  void restore(String kernelId, JsonArray recorded) {
    recorded.stream().filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
        .filter(entry -> entry.getValue("id") instanceof String && entry.getValue("path") instanceof String)
        .forEach(entry -> sessions.put(entry.getString("id"), new Session(entry.getString("id"), entry.getString("path"),
            String.valueOf(entry.getValue("name", "")), String.valueOf(entry.getValue("type", "notebook")), kernelId)));
  }

  JsonArray recordsOf(String kernelId) {
    JsonArray recorded = new JsonArray();
    sessions.values().stream().filter(session -> session.kernelId.equals(kernelId)).forEach(session -> recorded.add(session.toRecord()));
    return recorded;
  }

  Optional<Session> find(String sessionId) {
    return Optional.ofNullable(sessionId == null ? null : sessions.get(sessionId));
  }

  Optional<Session> findByPath(String path) {
    return sessions.values().stream().filter(session -> session.path.equals(path)).findFirst();
  }

  List<Session> all() {
    return new ArrayList<>(sessions.values());
  }

  void remove(String sessionId) {
    sessions.remove(sessionId);
  }

  /** Drops the sessions of a kernel that is gone. */
  void removeKernel(String kernelId) {
    sessions.values().removeIf(session -> session.kernelId.equals(kernelId));
  }
}
