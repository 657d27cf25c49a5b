package io.github.kernelgate.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * How a client WebSocket held by one replica is relayed to the replica that owns its kernel, over
 * the clustered event bus. The holder opens the relay on the owner's door
 * ({@code Addresses.onReplica(owner, OPEN)}, body {@code {kernel_id, session_id, v1, relay}});
 * then each WebSocket message travels whole as a Buffer, as a request to {@link #toKernel} (the
 * owner answers when it took the message, and withholds answers while that client's messages wait
 * for ZMQ over its budget) or to {@link #toClient} (the holder answers once the WebSocket write
 * completed, so the owner's pacing counts what the client has not read). A {@code close} message
 * (JSON {@code {code, reason}}) ends it from either side.
 */
final class RelayWire {

  static final String OPEN = "kernelgate.relay.open-client";
  static final String KIND = "kind";
  static final String TEXT = "text";
  static final String BINARY = "binary";
  static final String CLOSE = "close";
  /** A relayed message waits at most this long for its answer; a replica gone meanwhile fails it sooner (no handler). */
  static final long ANSWER_TIMEOUT_MILLIS = 600_000;

  private RelayWire() {
  }

  /** Where the owner takes the client's messages. */
  static String toKernel(String relay) {
    return relay + ".to-kernel";
  }

  /** Where the holder takes the kernel's messages for its WebSocket. */
  static String toClient(String relay) {
    return relay + ".to-client";
  }

  static DeliveryOptions kind(String kind) {
    return new DeliveryOptions().addHeader(KIND, kind).setSendTimeout(ANSWER_TIMEOUT_MILLIS);
  }

  static Buffer closing(short code, String reason) {
    return new JsonObject().put("code", code).put("reason", reason).toBuffer();
  }
}
