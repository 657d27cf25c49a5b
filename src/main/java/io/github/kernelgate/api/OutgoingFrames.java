package io.github.kernelgate.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

/**
 * Writes a message to a client in frames of at most 1 MiB. The server accepts single frames as
 * large as a whole message (browsers send one frame per message), but Vert.x would then also
 * write whole messages as one frame, and clients with a frame limit (1 MiB is common) drop the
 * connection. So outgoing messages are cut here, as they were before the limit was raised.
 */
final class OutgoingFrames {

  static final int FRAGMENT_BYTES = 1024 * 1024;
  /** A UTF-16 unit encodes to at most 3 bytes (a surrogate pair, two units, to 4). */
  private static final int FRAGMENT_CHARS = FRAGMENT_BYTES / 3;

  private OutgoingFrames() {
  }

  static Future<Void> binary(ServerWebSocket socket, Buffer data) {
    if (data.length() <= FRAGMENT_BYTES) {
      return socket.writeBinaryMessage(data);
    }
    Future<Void> last = null;
    for (int offset = 0; offset < data.length(); offset += FRAGMENT_BYTES) {
      int end = Math.min(data.length(), offset + FRAGMENT_BYTES);
      Buffer slice = data.slice(offset, end);
      boolean isFinal = end == data.length();
      last = socket.writeFrame(offset == 0 ? WebSocketFrame.binaryFrame(slice, isFinal) : WebSocketFrame.continuationFrame(slice, isFinal));
    }
    return last;
  }

  static Future<Void> text(ServerWebSocket socket, String text) {
    if (text.length() <= FRAGMENT_CHARS) {
      return socket.writeTextMessage(text);
    }
    Future<Void> last = null;
    for (int start = 0; start < text.length(); ) {
      int end = Math.min(text.length(), start + FRAGMENT_CHARS);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      String chunk = text.substring(start, end);
      boolean isFinal = end == text.length();
      last = socket.writeFrame(start == 0 ? WebSocketFrame.textFrame(chunk, isFinal)
          : WebSocketFrame.continuationFrame(Buffer.buffer(chunk), isFinal));
      start = end;
    }
    return last;
  }
}
