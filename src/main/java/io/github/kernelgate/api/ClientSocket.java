package io.github.kernelgate.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.function.Consumer;

/**
 * What a {@link ClientConnection} reads from and writes to: the client's own WebSocket
 * ({@link WebSocketClientSocket}), or a WebSocket held by another replica of the cluster and
 * relayed over the event bus ({@link RelayedClientSocket}). Messages are whole (fragments are the
 * transport's business); a write completes once the client's side has taken it.
 */
interface ClientSocket {

  /** Whether the client speaks the v1 subprotocol (else the legacy JSON/binary framing). */
  boolean isV1();

  /** Where the client's messages and the socket's end go; set once, before anything is read. */
  void handlers(Consumer<String> text, Consumer<Buffer> binary, Runnable ended);

  void pause();

  void resume();

  /** A text message, as its UTF-8 bytes (well-formed). */
  Future<Void> writeText(Buffer utf8);

  Future<Void> writeBinary(Buffer data);

  void close(short code, String reason);
}
