package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.MessageSigner;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ZMQ sockets of one kernel: DEALERs on shell, control and stdin sharing one identity (the
 * kernel sends input_request to the identity that sent the execute_request), a SUB on iopub
 * and a REQ on the heartbeat. Created, used and closed only on the socket-owner thread.
 */
final class KernelSockets {

  /** iopub bursts can be large; the owner thread drains at the kernel's pace, so queue deep rather than drop. */
  private static final int IOPUB_RECEIVE_HWM = 100_000;

  final String kernelId;
  /** The context the sockets belong to. */
  final ContextShards.Shard shard;
  final ConnectionInfo info;
  final MessageSigner signer;
  final Map<Channel, ZMQ.Socket> channels = new EnumMap<>(Channel.class);
  final ZMQ.Socket heartbeat;
  long lastHeartbeatReply;
  boolean heartbeatPending;
  boolean heartbeatLostReported;
  long lastActivityPublished;
  /** Set while the clients' queues are over budget: iopub is then left unread (see SocketOwner#readIopub). */
  boolean iopubPaused;

  KernelSockets(ContextShards.Shard shard, String kernelId, ConnectionInfo info, long now) {
    this.kernelId = kernelId;
    this.shard = shard;
    ZContext context = shard.context;
    this.info = info;
    this.signer = new MessageSigner(info.key());
    byte[] identity = ("kernelgate-" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII);
    try {
      channels.put(Channel.SHELL, dealer(context, identity, info.endpoint(info.shellPort())));
      channels.put(Channel.CONTROL, dealer(context, identity, info.endpoint(info.controlPort())));
      channels.put(Channel.STDIN, dealer(context, identity, info.endpoint(info.stdinPort())));
      ZMQ.Socket iopub = context.createSocket(SocketType.SUB);
      channels.put(Channel.IOPUB, iopub);
      iopub.setLinger(0);
      iopub.setRcvHWM(IOPUB_RECEIVE_HWM);
      iopub.subscribe(new byte[0]);
      iopub.connect(info.endpoint(info.iopubPort()));
      heartbeat = context.createSocket(SocketType.REQ);
    } catch (RuntimeException failed) {
      // Sockets already made would count against the context's limit for good: a failed connect leaves none.
      channels.values().forEach(context::destroySocket);
      throw failed;
    }
    heartbeat.setLinger(0);
    // Without these, the send after a missed reply fails with EFSM.
    heartbeat.setReqRelaxed(true);
    heartbeat.setReqCorrelate(true);
    heartbeat.connect(info.endpoint(info.hbPort()));
    lastHeartbeatReply = now;
  }

  private static ZMQ.Socket dealer(ZContext context, byte[] identity, String endpoint) {
    ZMQ.Socket socket = context.createSocket(SocketType.DEALER);
    socket.setLinger(0);
    socket.setIdentity(identity);
    socket.connect(endpoint);
    return socket;
  }

  void close() {
    channels.values().forEach(shard.context::destroySocket);
    shard.context.destroySocket(heartbeat);
  }
}
