package io.github.kernelgate.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;

/**
 * Writes messages to one client in frames of at most KG_WS_FRAME_BYTES (16 MiB by default; 0: one
 * frame per message, as browsers send them). The size is a measured compromise (the benchmark's
 * output figure, 50 MB in one message): Python's websocket-client and tornado rebuild a fragmented
 * message by concatenating its fragments, a copy of everything so far per fragment, so small
 * frames cost them (tornado: 0.40x of its floor with 1 MiB frames, 0.82x with 16 MiB); Netty-based
 * clients grow their buffer for one huge frame by copying it, so one 50 MB frame cost them
 * (Vert.x: 0.6x with one frame, 0.89x with 16 MiB).
 */
final class OutgoingFrames {

  private final ServerWebSocket socket;
  /** 0: no limit. */
  private final int maxFrameBytes;

  OutgoingFrames(ServerWebSocket socket, int maxFrameBytes) {
    this.socket = socket;
    this.maxFrameBytes = maxFrameBytes;
  }

  Future<Void> binary(Buffer data) {
    if (maxFrameBytes <= 0 || data.length() <= maxFrameBytes) {
      return socket.writeBinaryMessage(data);
    }
    Future<Void> last = null;
    for (int offset = 0; offset < data.length(); offset += maxFrameBytes) {
      int end = Math.min(data.length(), offset + maxFrameBytes);
      Buffer slice = data.slice(offset, end);
      boolean isFinal = end == data.length();
      last = socket.writeFrame(offset == 0 ? WebSocketFrame.binaryFrame(slice, isFinal) : WebSocketFrame.continuationFrame(slice, isFinal));
    }
    return last;
  }

  Future<Void> text(String text) {
    // A UTF-16 unit encodes to at most 3 bytes: shorter texts cannot exceed the limit, and are not measured.
    if (maxFrameBytes <= 0 || text.length() <= maxFrameBytes / 3) {
      return socket.writeTextMessage(text);
    }
    Future<Void> last = null;
    for (int start = 0; start < text.length(); ) {
      int end = fragmentEnd(text, start, maxFrameBytes);
      boolean isFinal = end == text.length();
      if (start == 0 && isFinal) {
        // Within the limit after all: no copy of the text for a fragment.
        return socket.writeTextMessage(text);
      }
      String chunk = text.substring(start, end);
      last = socket.writeFrame(start == 0 ? WebSocketFrame.textFrame(chunk, isFinal)
          : WebSocketFrame.continuationFrame(Buffer.buffer(chunk), isFinal));
      start = end;
    }
    return last;
  }

  /** Where the fragment that starts at {@code start} ends: as far as its UTF-8 stays within {@code maxBytes}; never inside a surrogate pair. */
  static int fragmentEnd(String text, int start, int maxBytes) {
    long bytes = 0;
    for (int index = start; index < text.length(); index++) {
      char unit = text.charAt(index);
      // Each half of a surrogate pair counts 2: the pair encodes to 4 bytes.
      bytes += unit < 0x80 ? 1 : unit < 0x800 || Character.isSurrogate(unit) ? 2 : 3;
      if (bytes > maxBytes) {
        // At least one character per fragment, even one larger than the limit, so the message moves on.
        int end = Math.max(index, start + 1);
        if (end < text.length() && Character.isLowSurrogate(text.charAt(end)) && Character.isHighSurrogate(text.charAt(end - 1))) {
          end = end - 1 > start ? end - 1 : end + 1;
        }
        return end;
      }
    }
    return text.length();
  }
}
