package io.github.kernelgate.api;

import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.LegacyFraming;
import io.github.kernelgate.protocol.V1Framing;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * One kernel message's frames for the clients it goes to, each framing built at most once.
 *
 * <p>For several clients a large frame is copied once into direct memory that every client's write
 * shares: Netty's epoll transport copies a heap frame into direct memory for each socket as it is
 * written, so 100 clients of a 10 MB output held 100 copies (the gateway's RSS peaked at 1154 MiB
 * in the benchmark's fan-out figure). The shared copy is the JDK's, freed by the collector once
 * the last write has let go of it; Netty's releases do not reach it. For one client the heap frame
 * is written as it is: Netty's copy for that one write is freed as soon as it is written.
 */
final class MessageFrames {

  /** Below this a frame is cheap to copy per socket (Netty uses a small per-thread buffer then). */
  static final int SHARED_FROM_BYTES = 64 * 1024;

  private final SequencedMessage sent;
  private final boolean severalClients;
  private Buffer v1;
  private LegacyFraming.Frame legacy;

  private MessageFrames(SequencedMessage sent, boolean severalClients) {
    this.sent = sent;
    this.severalClients = severalClients;
  }

  static MessageFrames forOneClient(SequencedMessage sent) {
    return new MessageFrames(sent, false);
  }

  static MessageFrames forSeveralClients(SequencedMessage sent) {
    return new MessageFrames(sent, true);
  }

  SequencedMessage sent() {
    return sent;
  }

  Buffer v1() {
    if (v1 == null) {
      KernelMessage kernel = sent.message();
      v1 = shareable(V1Framing.toClient(kernel.channel(), kernel.message()));
    }
    return v1;
  }

  LegacyFraming.Frame legacy() {
    if (legacy == null) {
      KernelMessage kernel = sent.message();
      LegacyFraming.Frame framed = LegacyFraming.toClient(kernel.channel(), kernel.message(), kernel.msgId(), kernel.msgType(),
          sent.isUtf8());
      legacy = new LegacyFraming.Frame(framed.binary(), shareable(framed.data()));
    }
    return legacy;
  }

  private Buffer shareable(Buffer frame) {
    if (!severalClients || frame.length() < SHARED_FROM_BYTES) {
      return frame;
    }
    ByteBuffer direct = ByteBuffer.allocateDirect(frame.length());
    ((BufferInternal) frame).getByteBuf().getBytes(0, direct);
    direct.flip();
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct)));
  }
}
