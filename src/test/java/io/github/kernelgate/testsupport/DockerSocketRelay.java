package io.github.kernelgate.testsupport;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Unix-socket relay in front of the real Docker socket, so a test can take "the daemon" away
 * from the gateway and bring it back without touching the real engine. Requests whose first
 * bytes contain {@code holdOn} are held back for a while, to catch a launch in the middle.
 */
public final class DockerSocketRelay implements AutoCloseable {

  private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");

  private final Path path;
  private final String holdOn;
  private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
  private volatile ServerSocketChannel server;

  public DockerSocketRelay(Path path, String holdOn) {
    this.path = path;
    this.holdOn = holdOn;
  }

  public String dockerHost() {
    return "unix://" + path;
  }

  public synchronized void start() throws IOException {
    Files.deleteIfExists(path);
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(path));
    ServerSocketChannel listening = server;
    daemon(() -> {
      while (listening.isOpen()) {
        try {
          SocketChannel client = listening.accept();
          SocketChannel docker = SocketChannel.open(UnixDomainSocketAddress.of(DOCKER_SOCKET));
          open.add(client);
          open.add(docker);
          daemon(() -> pump(client, docker, true));
          daemon(() -> pump(docker, client, false));
        } catch (IOException closed) {
          return;
        }
      }
    });
  }

  /** The daemon "goes away": no new connections, and every open one is cut. */
  public synchronized void stop() throws IOException {
    if (server != null) {
      server.close();
      server = null;
    }
    for (SocketChannel channel : open) {
      channel.close();
    }
    open.clear();
    Files.deleteIfExists(path);
  }

  private void pump(SocketChannel from, SocketChannel to, boolean requests) {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    try {
      while (from.read(buffer.clear()) >= 0) {
        buffer.flip();
        if (requests && holdOn != null && StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString().contains(holdOn)) {
          Thread.sleep(3_000);
        }
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
      }
    } catch (IOException | InterruptedException cut) {
      // The relay was stopped or a side hung up.
    } finally {
      try {
        from.close();
        to.close();
      } catch (IOException ignored) {
        // Already closed.
      }
    }
  }

  private static void daemon(Runnable body) {
    Thread thread = new Thread(body, "docker-relay");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void close() throws IOException {
    stop();
  }
}
