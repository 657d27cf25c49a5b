package io.github.kernelgate.testsupport;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * A legacy-framing WebSocket client on a plain socket, for what a library will not do: drop the
 * TCP connection with a reset (no close frame, no FIN), as a network failure or a killed browser does.
 */
public final class RawWebSocket implements AutoCloseable {

  private final Socket socket;
  private final String session;
  private final ByteArrayOutputStream seen = new ByteArrayOutputStream();

  private RawWebSocket(Socket socket, String session) {
    this.socket = socket;
    this.session = session;
  }

  public static RawWebSocket connect(int port, String kernelId, String session, String token) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(60_000);
    handshake(socket, port, kernelId, session, token);
    return new RawWebSocket(socket, session);
  }

  /** Upgrades {@code socket} to a WebSocket on the kernel's channels; fails unless the answer is 101. */
  static void handshake(Socket socket, int port, String kernelId, String session, String token) throws IOException {
    String key = Base64.getEncoder().encodeToString(UUID.randomUUID().toString().substring(0, 16).getBytes(StandardCharsets.US_ASCII));
    String request = "GET /api/kernels/" + kernelId + "/channels?session_id=" + session + (token == null ? "" : "&token=" + token)
        + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + key
        + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("no handshake answer");
      }
      head.append((char) b);
    }
    if (!head.toString().startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + head);
    }
  }

  /** Sends an execute_request in one masked text frame; answers its msg_id. */
  public String execute(String code) throws IOException {
    String msgId = UUID.randomUUID().toString();
    JsonObject header = new JsonObject().put("msg_id", msgId).put("msg_type", "execute_request").put("session", session)
        .put("username", "tester").put("date", Instant.now().toString()).put("version", "5.3");
    JsonObject message = new JsonObject().put("header", header).put("parent_header", new JsonObject()).put("metadata", new JsonObject())
        .put("channel", "shell").put("content", new JsonObject().put("code", code).put("silent", false).put("store_history", true)
            .put("user_expressions", new JsonObject()).put("allow_stdin", true).put("stop_on_error", true));
    writeTextFrame(message.encode().getBytes(StandardCharsets.UTF_8));
    return msgId;
  }

  private void writeTextFrame(byte[] payload) throws IOException {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x81);
    if (payload.length < 126) {
      frame.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      frame.write(0x80 | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    } else {
      throw new IOException("frame too large for this test client");
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    frame.write(mask);
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ mask[i % 4]);
    }
    OutputStream out = socket.getOutputStream();
    out.write(frame.toByteArray());
    out.flush();
  }

  /** Reads until {@code text} has appeared in what the gateway sent (frames are unmasked, JSON is plain text). */
  public void readUntil(String text) throws IOException {
    InputStream in = socket.getInputStream();
    byte[] chunk = new byte[8192];
    while (!seen.toString(StandardCharsets.UTF_8).contains(text)) {
      int read = in.read(chunk);
      if (read < 0) {
        throw new IOException("connection ended before " + text + " arrived");
      }
      seen.write(chunk, 0, read);
    }
  }

  /** Everything read so far, as text. */
  public String seen() {
    return seen.toString(StandardCharsets.UTF_8);
  }

  /** Drops the connection with a TCP reset. */
  public void reset() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
