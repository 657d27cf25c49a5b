package io.github.kernelgate.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.UUID;

/**
 * A WebSocket client on a stalled network: it completes the handshake and never reads again, so
 * what the gateway sends it piles up in the gateway (a client library that merely pauses may
 * keep reading into its own memory). Whether the gateway closed it shows once it is read again.
 */
public final class StalledClient implements AutoCloseable {

  private final Socket socket;

  private StalledClient(Socket socket) {
    this.socket = socket;
  }

  public static StalledClient connect(int port, String kernelId) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    // A small receive buffer, so the kernel's output cannot hide in the operating system.
    socket.setReceiveBufferSize(64 * 1024);
    RawWebSocket.handshake(socket, port, kernelId, UUID.randomUUID().toString(), null);
    return new StalledClient(socket);
  }

  /**
   * Reads what is left and answers whether the gateway closed the connection (it ends with EOF).
   * The gateway's close frame waits behind the backlog, and the TCP close follows Vert.x's 10 s
   * closing timeout, since this client never answers the close frame: so wait longer than that.
   */
  public boolean wasClosedByGateway() throws IOException {
    socket.setSoTimeout(30_000);
    byte[] sink = new byte[1024 * 1024];
    try {
      InputStream in = socket.getInputStream();
      while (in.read(sink) >= 0) {
        // Drain what was queued before the close.
      }
      return true;
    } catch (SocketException | java.net.SocketTimeoutException open) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
