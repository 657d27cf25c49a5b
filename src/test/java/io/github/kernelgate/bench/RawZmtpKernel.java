package io.github.kernelgate.bench;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.HeaderFields;
import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.json.JsonObject;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel client that speaks ZMTP 3.0 itself over two plain TCP sockets (shell as a DEALER,
 * iopub as a SUB), on the calling thread alone: no JeroMQ, no I/O thread, no poller. It measures
 * what the protocol work of an execute costs (framing, signing, verifying, two sockets' system
 * calls) apart from the library that usually does it. It reads the shell reply and then iopub up to
 * the idle status, blocking on each in turn: the kernel sends both whatever is read first.
 * Benchmark use only: no reconnection, no heartbeat.
 */
final class RawZmtpKernel implements AutoCloseable {

  private static final int MORE = 1;
  private static final int LONG = 2;
  private static final int COMMAND = 4;

  /** One ZMTP connection. */
  private static final class Connection implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final DataOutputStream out;

    Connection(String host, int port, String socketType) throws IOException {
      socket = new Socket(host, port);
      socket.setTcpNoDelay(true);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 65_536));
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), 65_536));
      out.write(greeting());
      out.flush();
      in.readFully(new byte[64]);
      writeFrame(COMMAND, ready(socketType));
      out.flush();
      if ((readFrame().flags & COMMAND) == 0) {
        throw new IOException("the peer's first frame after the greeting is not its READY command");
      }
    }

    /** Signature, version 3.0, the NULL mechanism, not as server; 64 bytes. */
    private static byte[] greeting() {
      byte[] greeting = new byte[64];
      greeting[0] = (byte) 0xFF;
      greeting[9] = 0x7F;
      greeting[10] = 3;
      byte[] mechanism = "NULL".getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(mechanism, 0, greeting, 12, mechanism.length);
      return greeting;
    }

    /** The READY command: its name, then the Socket-Type property. */
    private static byte[] ready(String socketType) {
      byte[] name = "READY".getBytes(StandardCharsets.US_ASCII);
      byte[] key = "Socket-Type".getBytes(StandardCharsets.US_ASCII);
      byte[] value = socketType.getBytes(StandardCharsets.US_ASCII);
      byte[] body = new byte[1 + name.length + 1 + key.length + 4 + value.length];
      int at = 0;
      body[at++] = (byte) name.length;
      System.arraycopy(name, 0, body, at, name.length);
      at += name.length;
      body[at++] = (byte) key.length;
      System.arraycopy(key, 0, body, at, key.length);
      at += key.length;
      body[at + 3] = (byte) value.length;
      System.arraycopy(value, 0, body, at + 4, value.length);
      return body;
    }

    void writeFrame(int flags, byte[] body) throws IOException {
      if (body.length > 255) {
        out.writeByte(flags | LONG);
        out.writeLong(body.length);
      } else {
        out.writeByte(flags);
        out.writeByte(body.length);
      }
      out.write(body);
    }

    void writeMessage(List<byte[]> frames) throws IOException {
      for (int i = 0; i < frames.size(); i++) {
        writeFrame(i < frames.size() - 1 ? MORE : 0, frames.get(i));
      }
      out.flush();
    }

    record Frame(int flags, byte[] body) {
    }

    Frame readFrame() throws IOException {
      int flags = in.readUnsignedByte();
      long size = (flags & LONG) != 0 ? in.readLong() : in.readUnsignedByte();
      byte[] body = new byte[Math.toIntExact(size)];
      in.readFully(body);
      return new Frame(flags, body);
    }

    /** The next message's frames; commands between messages (none expected after READY) are skipped. */
    List<byte[]> readMessage() throws IOException {
      List<byte[]> frames = new ArrayList<>(8);
      while (true) {
        Frame frame = readFrame();
        if ((frame.flags & COMMAND) != 0) {
          continue;
        }
        frames.add(frame.body);
        if ((frame.flags & MORE) == 0) {
          return frames;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private final Connection shell;
  private final Connection iopub;
  private final MessageSigner signer;

  RawZmtpKernel(ConnectionInfo info) throws IOException {
    signer = new MessageSigner(info.key());
    shell = new Connection(info.ip(), info.shellPort(), "DEALER");
    iopub = new Connection(info.ip(), info.iopubPort(), "SUB");
    // A ZMTP 3.0 subscription is a message whose first byte is 1; no topic: everything.
    iopub.writeMessage(List.of(new byte[] {1}));
  }

  /** Nudges with kernel_info until its idle status arrives on iopub (the subscription has taken). */
  void awaitReady(long timeoutMillis) throws IOException {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    iopub.socket.setSoTimeout(500);
    try {
      while (System.currentTimeMillis() < deadline) {
        try {
          request("kernel_info_request", new JsonObject());
          return;
        } catch (SocketTimeoutException notYet) {
          // The status went out before the kernel saw the subscription: ask again.
        }
      }
    } finally {
      iopub.socket.setSoTimeout(0);
    }
    throw new IllegalStateException("kernel not ready in " + timeoutMillis + " ms");
  }

  void execute(String code) {
    try {
      request("execute_request", new JsonObject().put("code", code).put("silent", false).put("store_history", false)
          .put("user_expressions", new JsonObject()).put("allow_stdin", false));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a shell request, reads its reply, then iopub up to its idle status. */
  private void request(String msgType, JsonObject content) throws IOException {
    WireMessage message = GatewayMessages.create(msgType, null, content);
    String msgId = GatewayMessages.msgId(message);
    shell.writeMessage(KernelFrames.signed(signer, message));
    while (!msgId.equals(HeaderFields.read(verified(shell.readMessage()).parentHeader(), "msg_id"))) {
      // A reply to an earlier nudge.
    }
    while (true) {
      WireMessage published = verified(iopub.readMessage());
      if (msgId.equals(HeaderFields.read(published.parentHeader(), "msg_id"))
          && "idle".equals(HeaderFields.read(published.content(), "execution_state"))) {
        return;
      }
    }
  }

  private WireMessage verified(List<byte[]> frames) {
    WireMessage message = KernelFrames.verified(signer, frames);
    if (message == null) {
      throw new IllegalStateException("a kernel message without its delimiter");
    }
    return message;
  }

  @Override
  public void close() throws IOException {
    try (shell; iopub) {
      // Both closed.
    }
  }
}
