package io.github.kernelgate.zmq;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a ZMTP 3.x stream as TCP delivers it, in chunks cut anywhere: the peer's greeting, its
 * READY command, then multipart messages. Each frame's body is copied once, straight into an
 * array of its final size. Used on one event loop; {@link #feed} throws {@link ZmtpException} when
 * the peer breaks the protocol, and the connection is then closed.
 */
final class ZmtpDecoder {

  private static final byte[] EMPTY = new byte[0];
  private static final int RESERVED_FLAGS = ~(ZmtpWire.MORE | ZmtpWire.LONG | ZmtpWire.COMMAND) & 0xFF;

  /** What the stream carries, in order: one greeting, a READY, then messages (and other commands, ignored). */
  interface Listener {

    void greeted();

    void ready();

    /** @param arrivedNanos {@link System#nanoTime()} when the message's first byte was read */
    void message(List<byte[]> frames, long arrivedNanos);
  }

  private enum Expecting {
    GREETING, FLAGS, SIZE, BODY
  }

  private final Listener listener;
  private final byte[] header = new byte[ZmtpWire.GREETING_LENGTH];
  private Expecting expecting = Expecting.GREETING;
  private int headerWanted = ZmtpWire.GREETING_LENGTH;
  private int headerFilled;
  private int flags;
  private byte[] body;
  private int bodyFilled;
  private boolean readyReceived;
  private List<byte[]> frames = new ArrayList<>(8);
  private long messageArrivedNanos;

  ZmtpDecoder(Listener listener) {
    this.listener = listener;
  }

  void feed(Buffer chunk) throws ZmtpException {
    int at = 0;
    int end = chunk.length();
    while (at < end) {
      switch (expecting) {
        case GREETING, SIZE -> {
          int taken = Math.min(end - at, headerWanted - headerFilled);
          chunk.getBytes(at, at + taken, header, headerFilled);
          at += taken;
          headerFilled += taken;
          if (headerFilled == headerWanted) {
            if (expecting == Expecting.GREETING) {
              checkGreeting();
              expectFlags();
              listener.greeted();
            } else {
              startBody(size());
            }
          }
        }
        case FLAGS -> {
          if (frames.isEmpty()) {
            messageArrivedNanos = System.nanoTime();
          }
          flags = chunk.getByte(at++) & 0xFF;
          if ((flags & RESERVED_FLAGS) != 0) {
            throw new ZmtpException("reserved frame flags set: " + flags);
          }
          expecting = Expecting.SIZE;
          headerWanted = (flags & ZmtpWire.LONG) != 0 ? 8 : 1;
          headerFilled = 0;
        }
        case BODY -> {
          int taken = Math.min(end - at, body.length - bodyFilled);
          chunk.getBytes(at, at + taken, body, bodyFilled);
          at += taken;
          bodyFilled += taken;
          if (bodyFilled == body.length) {
            frameComplete();
          }
        }
      }
    }
  }

  private void checkGreeting() throws ZmtpException {
    if ((header[0] & 0xFF) != 0xFF || (header[9] & 1) != 1) {
      throw new ZmtpException("the peer does not speak ZMTP 3 (no greeting signature)");
    }
    if (header[10] < 3) {
      throw new ZmtpException("the peer speaks ZMTP " + header[10] + ", 3 is needed");
    }
    String mechanism = new String(header, 12, 20, StandardCharsets.US_ASCII).trim();
    if (!mechanism.equals("NULL")) {
      throw new ZmtpException("the peer asks for the " + mechanism + " mechanism; only NULL is spoken here");
    }
  }

  private long size() {
    if (headerWanted == 1) {
      return header[0] & 0xFF;
    }
    long size = 0;
    for (int i = 0; i < 8; i++) {
      size = (size << 8) | (header[i] & 0xFF);
    }
    return size;
  }

  private void startBody(long size) throws ZmtpException {
    if (size < 0 || size > Integer.MAX_VALUE - 8) {
      throw new ZmtpException("frame of " + size + " bytes is larger than a Java array");
    }
    body = size == 0 ? EMPTY : new byte[(int) size];
    bodyFilled = 0;
    expecting = Expecting.BODY;
    if (size == 0) {
      frameComplete();
    }
  }

  private void frameComplete() throws ZmtpException {
    byte[] frame = body;
    body = null;
    expectFlags();
    if ((flags & ZmtpWire.COMMAND) != 0) {
      command(frame);
      return;
    }
    if (!readyReceived) {
      throw new ZmtpException("a message arrived before the peer's READY");
    }
    frames.add(frame);
    if ((flags & ZmtpWire.MORE) == 0) {
      List<byte[]> message = frames;
      frames = new ArrayList<>(8);
      listener.message(message, messageArrivedNanos);
    }
  }

  private void command(byte[] frame) throws ZmtpException {
    int nameLength = frame.length > 0 ? frame[0] & 0xFF : 0;
    String name = new String(frame, 1, Math.min(nameLength, frame.length - 1), StandardCharsets.US_ASCII);
    if (name.equals("ERROR")) {
      int reasonAt = 1 + nameLength;
      int reasonLength = frame.length > reasonAt ? frame[reasonAt] & 0xFF : 0;
      String reason = new String(frame, reasonAt + 1, Math.max(0, Math.min(reasonLength, frame.length - reasonAt - 1)),
          StandardCharsets.US_ASCII);
      throw new ZmtpException("the peer refused the connection: " + reason);
    }
    if (!readyReceived) {
      if (!name.equals("READY")) {
        throw new ZmtpException("the peer's first command is " + name + ", not READY");
      }
      readyReceived = true;
      listener.ready();
    }
    // Later commands (3.1's PING and SUBSCRIBE) are not sent to a 3.0 peer; any other is ignored.
  }

  private void expectFlags() {
    expecting = Expecting.FLAGS;
    headerFilled = 0;
  }
}
