package io.github.kernelgate.plugin;

import io.vertx.core.json.JsonObject;

/**
 * A failure a proxy reports on purpose, as an HTTP status, a short reason and a message: the
 * gateway answers the client with that status and the body {@code {"reason", "message"}}. On the
 * bus it travels as the reply's failure code and that body as JSON. Any other exception a proxy
 * fails with is reported as 500.
 */
public class ProxyFailure extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  public ProxyFailure(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** The HTTP status; meant to be 4xx or 5xx, and sent as 500 on the bus when it is not. */
  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  /** The error body: {@code {"reason": ..., "message": ...}}. */
  public JsonObject toJson() {
    return new JsonObject().put("reason", reason).put("message", getMessage() == null ? "" : getMessage());
  }

  /** The request cannot be served as asked (a malformed config stanza): 400. */
  public static ProxyFailure badRequest(String message) {
    return new ProxyFailure(400, "Bad Request", message);
  }

  /** The kernel (or what runs it) is already there: 409. */
  public static ProxyFailure conflict(String message) {
    return new ProxyFailure(409, "Conflict", message);
  }

  /** The proxy failed: 500. */
  public static ProxyFailure internal(String message) {
    return new ProxyFailure(500, "Internal Server Error", message);
  }

  /** What runs kernels cannot be reached now (a daemon, a cluster); a retry later may succeed: 503. */
  public static ProxyFailure unavailable(String message) {
    return new ProxyFailure(503, "Service Unavailable", message);
  }

  /** The kernel did not come up within the launch timeout: 504. */
  public static ProxyFailure timedOut(String message) {
    return new ProxyFailure(504, "Gateway Timeout", message);
  }

  /** Rebuilds a failure from its bus form (failure code and JSON body); anything unreadable is a 500 with the text. */
  public static ProxyFailure fromBus(int failureCode, String body) {
    int status = failureCode >= 400 && failureCode <= 599 ? failureCode : 500;
    try {
      JsonObject json = new JsonObject(body);
      return new ProxyFailure(status, json.getString("reason", "Error"), json.getString("message", ""));
    } catch (RuntimeException notJson) {
      return new ProxyFailure(status, "Error", String.valueOf(body));
    }
  }
}
