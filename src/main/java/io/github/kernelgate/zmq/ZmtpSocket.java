package io.github.kernelgate.zmq;

import io.netty.buffer.ByteBuf;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ZMTP connection to one kernel port, on the event loop of the verticle that opened it, as a
 * connecting ZMQ socket behaves: it connects in the background and again whenever the connection
 * drops (after 100 ms, doubling to {@link #MAX_RECONNECT_MILLIS}), and messages sent meanwhile wait
 * in a bounded queue that is written once the peer's READY arrives.
 */
final class ZmtpSocket {

  private static final Logger LOG = LoggerFactory.getLogger(ZmtpSocket.class);
  /**
   * Reads of up to 1 MiB, not Netty's 64 KiB: a 50 MB output then arrives in 50-130 reads instead
   * of 800, and receiving it took 25-49 ms of the event loop instead of 39-98 (a probe in the
   * benchmark's output figure, 2026-12-07). Each connection's reads shrink back for small messages.
   */
  private static final AdaptiveRecvByteBufAllocator READS = new AdaptiveRecvByteBufAllocator(64, 2048, 1024 * 1024);
  private static final long MIN_RECONNECT_MILLIS = 100;
  static final long MAX_RECONNECT_MILLIS = 2_000;

  /** Gets each message received. */
  interface Receiver {

    /** @param arrivedNanos {@link System#nanoTime()} when its first byte was read */
    void received(List<byte[]> frames, long arrivedNanos);
  }

  /** A message waiting for the connection, and who waits to know whether it went out. */
  private record Waiting(Buffer encoded, Promise<Boolean> written) {
  }

  private final Vertx vertx;
  private final NetClient client;
  private final String host;
  private final int port;
  private final ZmtpWire.SocketType type;
  private final byte[] identity;
  private final int waitingLimit;
  private final Receiver onMessage;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private NetSocket connection;
  private boolean ready;
  private boolean paused;
  private boolean closed;
  private long reconnectMillis = MIN_RECONNECT_MILLIS;
  private long reconnectTimer = -1;

  /**
   * @param identity the routing identity announced in READY, or null
   * @param waitingLimit how many messages may wait for a connection before sends are refused (0: none wait)
   */
  ZmtpSocket(Vertx vertx, NetClient client, String host, int port, ZmtpWire.SocketType type, byte[] identity,
      int waitingLimit, Receiver onMessage) {
    this.vertx = vertx;
    this.client = client;
    this.host = host;
    this.port = port;
    this.type = type;
    this.identity = identity;
    this.waitingLimit = waitingLimit;
    this.onMessage = onMessage;
  }

  void open() {
    connect();
  }

  /**
   * Writes the message, or queues it while there is no connection. The future says whether it
   * was written to the connection (false: refused because the queue is full, or closed before).
   */
  Future<Boolean> send(List<byte[]> frames) {
    if (closed) {
      return Future.succeededFuture(false);
    }
    Buffer encoded = ZmtpWire.message(frames);
    if (ready) {
      return connection.write(encoded).map(true).otherwise(false);
    }
    if (waiting.size() >= waitingLimit) {
      return Future.succeededFuture(false);
    }
    Promise<Boolean> written = Promise.promise();
    waiting.add(new Waiting(encoded, written));
    return written.future();
  }

  boolean isReady() {
    return ready;
  }

  /** Stops reading: what the peer sends waits in TCP's buffers and then in the peer's own queue. */
  void pause() {
    paused = true;
    if (connection != null) {
      connection.pause();
    }
  }

  void resume() {
    paused = false;
    if (connection != null) {
      connection.resume();
    }
  }

  void close() {
    closed = true;
    ready = false;
    if (reconnectTimer >= 0) {
      vertx.cancelTimer(reconnectTimer);
    }
    if (connection != null) {
      connection.close();
      connection = null;
    }
    Waiting dropped;
    while ((dropped = waiting.poll()) != null) {
      dropped.written().complete(false);
    }
  }

  private void connect() {
    reconnectTimer = -1;
    client.connect(port, host).onComplete(connected -> {
      if (connected.failed()) {
        LOG.atDebug().addKeyValue("port", port).log("ZMTP connect failed: {}", connected.cause().getMessage());
        reconnectLater();
      } else if (closed) {
        connected.result().close();
      } else {
        attach(connected.result());
      }
    });
  }

  private void attach(NetSocket socket) {
    connection = socket;
    ((NetSocketInternal) socket).channelHandlerContext().channel().config().setRecvByteBufAllocator(READS);
    ZmtpDecoder decoder = new ZmtpDecoder(new ZmtpDecoder.Listener() {
      @Override
      public void greeted() {
        socket.write(ZmtpWire.ready(type, identity));
      }

      @Override
      public void ready() {
        handshakeDone(socket);
      }

      @Override
      public void message(List<byte[]> frames, long arrivedNanos) {
        onMessage.received(frames, arrivedNanos);
      }
    });
    // Netty's own read buffers, not the copy Vert.x would make of each one for a handler that may
    // keep it: the decoder copies every body out once, so a 50 MB output is copied once, not twice.
    ((NetSocketInternal) socket).messageHandler(read -> {
      if (!(read instanceof ByteBuf chunk)) {
        return; // a plain TCP pipeline delivers nothing else
      }
      try {
        decoder.feed(BufferInternal.buffer(chunk));
      } catch (ZmtpException broken) {
        LOG.atWarn().addKeyValue("port", port).log("ZMTP peer broke the protocol, reconnecting: {}", broken.getMessage());
        socket.close();
      } finally {
        chunk.release();
      }
    });
    socket.exceptionHandler(failure -> LOG.atDebug().addKeyValue("port", port).log("ZMTP connection failed: {}", failure.getMessage()));
    socket.closeHandler(closedByPeer -> {
      if (connection == socket) {
        connection = null;
        ready = false;
        reconnectLater();
      }
    });
    if (paused) {
      socket.pause();
    }
    socket.write(ZmtpWire.greeting());
  }

  private void handshakeDone(NetSocket socket) {
    ready = true;
    reconnectMillis = MIN_RECONNECT_MILLIS;
    if (type == ZmtpWire.SocketType.SUB) {
      socket.write(ZmtpWire.message(ZmtpWire.subscribeToAll()));
    }
    Waiting next;
    while ((next = waiting.poll()) != null) {
      Promise<Boolean> written = next.written();
      socket.write(next.encoded()).onComplete(done -> written.complete(done.succeeded()));
    }
  }

  private void reconnectLater() {
    if (closed) {
      return;
    }
    long delay = reconnectMillis;
    reconnectMillis = Math.min(MAX_RECONNECT_MILLIS, reconnectMillis * 2);
    reconnectTimer = vertx.setTimer(delay, fired -> connect());
  }
}
