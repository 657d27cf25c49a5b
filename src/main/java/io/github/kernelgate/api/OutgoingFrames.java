package io.github.kernelgate.api;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;

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
    return write(data, false);
  }

  /** A text message given as its UTF-8 bytes (well-formed): kernel JSON is neither decoded nor encoded again. */
  Future<Void> text(Buffer utf8) {
    return write(utf8, true);
  }

  private Future<Void> write(Buffer data, boolean text) {
    int length = data.length();
    if (maxFrameBytes <= 0 || length <= maxFrameBytes) {
      return socket.writeFrame(firstFrame(data, text, true));
    }
    Future<Void> last = null;
    for (int start = 0; start < length; ) {
      // A text fragment ends between characters (clients may decode fragment by fragment); binary anywhere.
      int end = text ? fragmentEnd(data, start, maxFrameBytes) : Math.min(length, start + maxFrameBytes);
      Buffer slice = data.slice(start, end);
      boolean isFinal = end == length;
      last = socket.writeFrame(start == 0 ? firstFrame(slice, text, isFinal) : WebSocketFrame.continuationFrame(slice, isFinal));
      start = end;
    }
    return last;
  }

  /**
   * Vert.x's public API takes a text frame only as a String, which would decode the kernel's bytes
   * and encode them again; its frame class takes the bytes. OutgoingFramesTest checks what a client reads.
   */
  private static WebSocketFrame firstFrame(Buffer data, boolean text, boolean isFinal) {
    return text ? new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) data).getByteBuf(), isFinal)
        : WebSocketFrame.binaryFrame(data, isFinal);
  }

  /**
   * Where the fragment that starts at {@code start} ends: at most {@code maxBytes} on, never inside
   * a character's UTF-8 sequence (clients may decode fragment by fragment); a character longer than
   * the limit goes alone, so the message moves on.
   */
  static int fragmentEnd(Buffer utf8, int start, int maxBytes) {
    int length = utf8.length();
    if (length - start <= maxBytes) {
      return length;
    }
    int end = start + maxBytes;
    while (end > start && isContinuation(utf8.getByte(end))) {
      end--;
    }
    if (end == start) {
      end = start + 1;
      while (end < length && isContinuation(utf8.getByte(end))) {
        end++;
      }
    }
    return end;
  }

  private static boolean isContinuation(byte value) {
    return (value & 0xC0) == 0x80;
  }
}
