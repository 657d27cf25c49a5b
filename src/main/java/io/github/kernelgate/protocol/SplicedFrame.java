package io.github.kernelgate.protocol;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;

/**
 * The bytes of one outgoing frame, put together from a message's parts: small parts are copied
 * into one array, parts of {@link #REFERENCE_LIMIT} bytes or more are referenced where they lie.
 * A multi-megabyte output then reaches the socket without a copy, and small messages stay one
 * contiguous array.
 */
final class SplicedFrame {

  static final int REFERENCE_LIMIT = 64 * 1024;

  /** Null until a large part is referenced. */
  private CompositeByteBuf spliced;
  private Buffer copied;

  /** {@code copiedBytes}: what the copied parts will take, so the array is sized once. */
  SplicedFrame(int copiedBytes) {
    copied = Buffer.buffer(copiedBytes);
  }

  SplicedFrame append(byte[] part) {
    if (part.length < REFERENCE_LIMIT) {
      copied.appendBytes(part);
      return this;
    }
    if (spliced == null) {
      spliced = Unpooled.compositeBuffer(Integer.MAX_VALUE);
    }
    spliced.addComponent(true, ((BufferInternal) copied).getByteBuf());
    spliced.addComponent(true, Unpooled.wrappedBuffer(part));
    copied = Buffer.buffer(256);
    return this;
  }

  /** ASCII text, such as a JSON key; always copied. */
  SplicedFrame append(String ascii) {
    copied.appendString(ascii, "US-ASCII");
    return this;
  }

  SplicedFrame appendIntBE(int value) {
    copied.appendInt(value);
    return this;
  }

  SplicedFrame appendLongLE(long value) {
    copied.appendLongLE(value);
    return this;
  }

  Buffer build() {
    if (spliced == null) {
      return copied;
    }
    spliced.addComponent(true, ((BufferInternal) copied).getByteBuf());
    // Netty releases what it writes, slice by slice; the parts belong to the message, not to one write.
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(spliced));
  }

  /** Whether a message of {@code size} bytes will reference parts rather than copy them all. */
  static boolean references(long size) {
    return size >= REFERENCE_LIMIT;
  }
}
