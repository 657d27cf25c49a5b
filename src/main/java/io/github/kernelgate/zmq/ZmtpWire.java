package io.github.kernelgate.zmq;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What KernelGate writes on a ZMTP 3.0 connection (https://rfc.zeromq.org/spec/23/): the greeting,
 * the READY command of the NULL mechanism, and multipart messages as frames. It greets as version
 * 3.0 so that libzmq and JeroMQ peers use 3.0's rules (a subscription is a message, no heartbeat
 * commands).
 */
final class ZmtpWire {

  static final int GREETING_LENGTH = 64;
  static final int MORE = 1;
  static final int LONG = 2;
  static final int COMMAND = 4;

  private static final Buffer GREETING = greetingBuffer();
  /** A SUB's "everything" subscription: the byte 1 followed by an empty topic. */
  private static final List<byte[]> SUBSCRIBE_TO_ALL = List.of(new byte[] {1});

  /** The socket types KernelGate opens towards a kernel. */
  enum SocketType {
    DEALER, SUB, REQ
  }

  private ZmtpWire() {
  }

  /** Signature (0xFF, 8 padding bytes, 0x7F), version 3.0, the NULL mechanism, not as server, filler. */
  static Buffer greeting() {
    return GREETING.copy();
  }

  private static Buffer greetingBuffer() {
    byte[] greeting = new byte[GREETING_LENGTH];
    greeting[0] = (byte) 0xFF;
    greeting[9] = 0x7F;
    greeting[10] = 3;
    byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
    return Buffer.buffer(greeting);
  }

  /** READY with the Socket-Type property and, when given, the Identity a ROUTER peer routes replies by. */
  static Buffer ready(SocketType type, byte[] identity) {
    Buffer body = Buffer.buffer(64);
    body.appendByte((byte) 5).appendString("READY", "US-ASCII");
    appendProperty(body, "Socket-Type", type.name().getBytes(StandardCharsets.US_ASCII));
    if (identity != null) {
      appendProperty(body, "Identity", identity);
    }
    Buffer frame = Buffer.buffer(body.length() + 9);
    appendHeader(frame, COMMAND, body.length());
    return frame.appendBuffer(body);
  }

  private static void appendProperty(Buffer body, String name, byte[] value) {
    body.appendByte((byte) name.length()).appendString(name, "US-ASCII").appendInt(value.length).appendBytes(value);
  }

  static List<byte[]> subscribeToAll() {
    return SUBSCRIBE_TO_ALL;
  }

  /** A multipart message as one buffer: one write and one system call for all its frames. */
  static Buffer message(List<byte[]> frames) {
    int size = 0;
    for (byte[] frame : frames) {
      size += frame.length + (frame.length > 255 ? 9 : 2);
    }
    Buffer encoded = Buffer.buffer(size);
    for (int i = 0; i < frames.size(); i++) {
      byte[] frame = frames.get(i);
      appendHeader(encoded, i < frames.size() - 1 ? MORE : 0, frame.length);
      encoded.appendBytes(frame);
    }
    return encoded;
  }

  private static void appendHeader(Buffer buffer, int flags, int size) {
    if (size > 255) {
      buffer.appendByte((byte) (flags | LONG)).appendLong(size);
    } else {
      buffer.appendByte((byte) flags).appendByte((byte) size);
    }
  }
}
