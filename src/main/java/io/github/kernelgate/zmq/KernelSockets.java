package io.github.kernelgate.zmq;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.MessageSigner;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The ZMTP connections of one kernel: DEALERs on shell, control and stdin sharing one identity
 * (the kernel sends input_request to the identity that sent the execute_request), a SUB on iopub
 * and a REQ on the heartbeat. Used on the ZMQ verticle's event loop only.
 */
final class KernelSockets {

  /** As a ZMQ socket's default send high-water mark: messages that may wait for the kernel to be reachable. */
  private static final int WAITING_MESSAGES = 1_000;

  final String kernelId;
  final ConnectionInfo info;
  final MessageSigner signer;
  final Map<Channel, ZmtpSocket> channels = new EnumMap<>(Channel.class);
  final ZmtpSocket heartbeat;
  long lastHeartbeatReply;
  boolean heartbeatPending;
  boolean heartbeatLostReported;
  long lastActivityPublished;
  /** Set while the clients' queues are over budget: iopub is then left unread (see KernelConnections#readIopub). */
  boolean iopubPaused;

  /** Gets each message with its channel. */
  interface Receiver {

    /** @param arrivedNanos {@link System#nanoTime()} when its first byte was read */
    void received(Channel channel, List<byte[]> frames, long arrivedNanos);
  }

  /** Opens every connection; {@code receiver} gets each message. */
  KernelSockets(Vertx vertx, NetClient client, String kernelId, ConnectionInfo info, long now, Receiver receiver) {
    if (!"tcp".equals(info.transport())) {
      throw new IllegalArgumentException("transport " + info.transport() + " is not supported, only tcp");
    }
    this.kernelId = kernelId;
    this.info = info;
    this.signer = new MessageSigner(info.key());
    byte[] identity = ("kernelgate-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
    String host = info.ip();
    for (Channel channel : Channel.values()) {
      boolean iopub = channel == Channel.IOPUB;
      channels.put(channel, new ZmtpSocket(vertx, client, host, portOf(channel, info),
          iopub ? ZmtpWire.SocketType.SUB : ZmtpWire.SocketType.DEALER, iopub ? null : identity,
          iopub ? 0 : WAITING_MESSAGES, (frames, arrivedNanos) -> receiver.received(channel, frames, arrivedNanos)));
    }
    heartbeat = new ZmtpSocket(vertx, client, host, info.hbPort(), ZmtpWire.SocketType.REQ, null, 0, (frames, arrivedNanos) -> {
      lastHeartbeatReply = System.currentTimeMillis();
      heartbeatPending = false;
      heartbeatLostReported = false;
    });
    lastHeartbeatReply = now;
    channels.values().forEach(ZmtpSocket::open);
    heartbeat.open();
  }

  private static int portOf(Channel channel, ConnectionInfo info) {
    return switch (channel) {
      case SHELL -> info.shellPort();
      case CONTROL -> info.controlPort();
      case STDIN -> info.stdinPort();
      case IOPUB -> info.iopubPort();
    };
  }

  void close() {
    channels.values().forEach(ZmtpSocket::close);
    heartbeat.close();
  }
}
