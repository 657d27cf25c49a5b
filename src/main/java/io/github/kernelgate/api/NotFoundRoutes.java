package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.http.HttpMethod;

/**
 * The 404 of a path no route serves, saying what was not found: a kernel or session id that
 * is not one (ids are UUIDs), or the path itself, so a client can show the user something useful.
 */
final class NotFoundRoutes {

  private NotFoundRoutes() {
  }

  static GatewayException explain(String base, HttpMethod method, String path) {
    String kernels = base + "api/kernels/";
    String sessions = base + "api/sessions/";
    String rest;
    if ((rest = idAfter(path, kernels)) != null) {
      return GatewayException.notFound("Kernel does not exist: " + rest);
    }
    if ((rest = idAfter(path, sessions)) != null) {
      return GatewayException.notFound("Session not found: " + rest);
    }
    return GatewayException.notFound("No such resource: " + method + " " + path);
  }

  /** The single path segment after {@code prefix}, or null when the path is not of that shape. */
  private static String idAfter(String path, String prefix) {
    if (!path.startsWith(prefix) || path.length() == prefix.length()) {
      return null;
    }
    String rest = path.substring(prefix.length());
    return rest.indexOf('/') < 0 ? rest : null;
  }
}
