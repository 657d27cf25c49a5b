package io.github.kernelgate.bus;

import io.github.kernelgate.plugin.ProxyFailure;
import io.vertx.core.json.JsonObject;

/**
 * A failure that knows how the API should report it: an HTTP status, a reason and a message.
 * Domain code throws these; only the API layer turns them into HTTP responses. They cross the
 * event bus as {@code message.fail(status, json)} (see {@link BusErrors}). It is the plugin API's
 * {@link ProxyFailure} with a Retry-After, so a built-in proxy's failure crosses the bus the way a plugin's does.
 */
public class GatewayException extends ProxyFailure {

  private final int retryAfterSeconds;

  /** A failure reported with the standard phrase of {@code status} as reason and {@code message} as text. */
  public GatewayException(int status, String message) {
    this(status, HttpPhrases.of(status), message);
  }

  /** A failure with a custom reason (EG reports launch failures this way). */
  public GatewayException(int status, String reason, String message) {
    this(status, reason, message, 0);
  }

  /** A failure the client may retry after {@code retryAfterSeconds} (sent as Retry-After). */
  public GatewayException(int status, String reason, String message, int retryAfterSeconds) {
    super(status, reason, message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds after which a retry may succeed (503 of a full launch queue), or 0. */
  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The error body as it crosses the bus: the EG body plus {@code retry_after} when set. */
  public JsonObject toBusJson() {
    JsonObject json = toJson();
    return retryAfterSeconds > 0 ? json.put("retry_after", retryAfterSeconds) : json;
  }

  public static GatewayException badRequest(String message) {
    return new GatewayException(400, message);
  }

  public static GatewayException forbidden(String message) {
    return new GatewayException(403, message);
  }

  public static GatewayException notFound(String message) {
    return new GatewayException(404, message);
  }

  public static GatewayException internal(String message) {
    return new GatewayException(500, message);
  }

  public static GatewayException unavailable(String message) {
    return new GatewayException(503, message);
  }
}
