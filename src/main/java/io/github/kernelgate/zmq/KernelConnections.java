package io.github.kernelgate.zmq;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.HeaderFields;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every kernel's ZMTP connections, spoken on the event loop of the verticle that made this
 * (no ZMQ library thread, no poller: Netty's epoll loop reads the kernels' sockets). Received
 * messages are verified here and handed to a {@link MessageSink}; heartbeats go out on a timer.
 * Every method must be called on that event loop.
 */
final class KernelConnections {

  private static final Logger LOG = LoggerFactory.getLogger(KernelConnections.class);
  private static final List<byte[]> PING = List.of(new byte[0], new byte[] {'p', 'i', 'n', 'g'});

  private final Vertx vertx;
  private final NetClient client;
  private final Map<String, KernelSockets> kernels = new HashMap<>();
  private final MessageSink sink;
  private final long heartbeatIntervalMillis;
  private final long activityThrottleMillis;
  private final long heartbeatTimer;

  KernelConnections(Vertx vertx, MessageSink sink, long heartbeatIntervalMillis, long activityThrottleMillis) {
    this.vertx = vertx;
    this.sink = sink;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.activityThrottleMillis = activityThrottleMillis;
    this.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(5_000));
    this.heartbeatTimer = heartbeatIntervalMillis > 0 ? vertx.setPeriodic(heartbeatIntervalMillis, tick -> beat()) : -1;
  }

  /** Opens the kernel's connections (closing any it had: a restarted kernel may listen elsewhere). */
  void connect(String kernelId, ConnectionInfo info) {
    disconnect(kernelId);
    kernels.put(kernelId, new KernelSockets(vertx, client, kernelId, info, System.currentTimeMillis(),
        (channel, frames, arrivedNanos) -> dispatch(kernelId, channel, frames, arrivedNanos)));
    LOG.atDebug().addKeyValue("kernel_id", kernelId).log("zmtp connections opened [{}]", info);
  }

  void disconnect(String kernelId) {
    KernelSockets sockets = kernels.remove(kernelId);
    if (sockets != null) {
      sockets.close();
      LOG.atDebug().addKeyValue("kernel_id", kernelId).log("zmtp connections closed");
    }
  }

  /**
   * Stops or resumes reading a kernel's iopub. While stopped, what the kernel publishes waits in
   * TCP's buffers and then in the kernel's own queue, instead of in the gateway's clients' queues.
   */
  void readIopub(String kernelId, boolean reading) {
    KernelSockets sockets = kernels.get(kernelId);
    if (sockets == null || sockets.iopubPaused == !reading) {
      return;
    }
    sockets.iopubPaused = !reading;
    if (reading) {
      sockets.channels.get(Channel.IOPUB).resume();
    } else {
      sockets.channels.get(Channel.IOPUB).pause();
    }
  }

  /**
   * Signs and sends; the future says whether the message was written to the kernel's connection
   * (false: an unknown kernel, or too many messages waiting for a connection).
   */
  Future<Boolean> send(String kernelId, Channel channel, WireMessage message) {
    KernelSockets sockets = kernels.get(kernelId);
    if (sockets == null) {
      LOG.atDebug().addKeyValue("kernel_id", kernelId).log("message for a kernel without connections dropped");
      return Future.succeededFuture(false);
    }
    return sockets.channels.get(channel).send(signedFrames(sockets, message)).onSuccess(sent -> {
      if (!sent) {
        LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("channel", channel.wireName())
            .log("kernel unreachable and its send queue full, message dropped");
      }
    });
  }

  int size() {
    return kernels.size();
  }

  void close() {
    vertx.cancelTimer(heartbeatTimer);
    new ArrayList<>(kernels.keySet()).forEach(this::disconnect);
    client.close();
  }

  private void dispatch(String kernelId, Channel channel, List<byte[]> frames, long arrivedNanos) {
    KernelSockets sockets = kernels.get(kernelId);
    if (sockets == null) {
      return;
    }
    FrameParser.Signed signed = FrameParser.parse(frames);
    if (signed == null) {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("channel", channel.wireName())
          .log("malformed message from kernel dropped");
      return;
    }
    if (!sockets.signer.verify(signed.signature(), signed.message())) {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("channel", channel.wireName())
          .log("badly signed message from kernel dropped");
      return;
    }
    WireMessage message = signed.message();
    String[] header = HeaderFields.readAll(message.header(), "msg_id", "msg_type");
    String msgType = header[1];
    String executionState = channel == Channel.IOPUB && "status".equals(msgType)
        ? HeaderFields.read(message.content(), "execution_state") : null;
    KernelMessage received = new KernelMessage(kernelId, channel, message, header[0], msgType,
        HeaderFields.read(message.parentHeader(), "msg_id"), executionState, arrivedNanos);
    // Every iopub message is activity; status changes are always reported, the rest at most once per throttle period.
    boolean reportActivity = false;
    if (channel == Channel.IOPUB) {
      long now = System.currentTimeMillis();
      if (executionState != null || now - sockets.lastActivityPublished >= activityThrottleMillis) {
        sockets.lastActivityPublished = now;
        reportActivity = true;
      }
    }
    sink.received(received, reportActivity);
  }

  private void beat() {
    long now = System.currentTimeMillis();
    for (KernelSockets sockets : List.copyOf(kernels.values())) {
      try {
        if (sockets.heartbeatPending && now - sockets.lastHeartbeatReply > 3 * heartbeatIntervalMillis
            && !sockets.heartbeatLostReported) {
          sockets.heartbeatLostReported = true;
          LOG.atWarn().addKeyValue("kernel_id", sockets.kernelId).log("kernel stopped answering heartbeats");
          sink.heartbeatLost(sockets.kernelId);
        }
      } catch (RuntimeException listenerFailed) {
        // One kernel's listener must not stop the others' heartbeats.
        LOG.error("heartbeat listener failed", listenerFailed);
      }
      sockets.heartbeat.send(PING);
      sockets.heartbeatPending = true;
    }
  }

  private static List<byte[]> signedFrames(KernelSockets sockets, WireMessage message) {
    byte[] signature = sockets.signer.sign(message);
    List<byte[]> frames = new ArrayList<>(6 + message.buffers().size());
    frames.add(FrameParser.DELIMITER);
    frames.add(signature);
    frames.add(message.header());
    frames.add(message.parentHeader());
    frames.add(message.metadata());
    frames.add(message.content());
    frames.addAll(message.buffers());
    return frames;
  }
}
