package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.HeaderFields;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.WireMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;

/**
 * The one thread that owns every kernel's ZMQ sockets (JeroMQ sockets are not thread-safe).
 * Other threads enqueue commands and wake it through a pipe watched by the same selector, so
 * nothing waits on a timeout; received messages are verified here and handed to a
 * {@link MessageSink}. The select timeout only paces heartbeats.
 */
final class SocketOwner {

  private static final Logger LOG = LoggerFactory.getLogger(SocketOwner.class);
  private static final byte[] PING = {'p', 'i', 'n', 'g'};
  /** Messages drained from one socket per poll turn, so one chatty kernel cannot starve the others. */
  private static final int BURST = 512;
  private final ContextShards contexts = new ContextShards();
  private final SocketSelector selector = new SocketSelector();
  private final Pipe wakeup;
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final ByteBuffer drain = ByteBuffer.allocate(256);
  private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final Map<String, KernelSockets> kernels = new HashMap<>();
  private final MessageSink sink;
  private final long heartbeatIntervalMillis;
  private final long activityThrottleMillis;
  private final Thread thread;
  private volatile boolean running = true;
  private long nextHeartbeat;
  private int failuresInARow;

  SocketOwner(MessageSink sink, long heartbeatIntervalMillis, long activityThrottleMillis) {
    this.sink = sink;
    this.heartbeatIntervalMillis = heartbeatIntervalMillis;
    this.activityThrottleMillis = activityThrottleMillis;
    try {
      this.wakeup = Pipe.open();
      wakeup.source().configureBlocking(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the ZMQ wake-up pipe", e);
    }
    selector.watchChannel(wakeup.source(), this::drainWakeups);
    this.thread = new Thread(this::run, "kernelgate-zmq");
    thread.setDaemon(true);
    thread.setUncaughtExceptionHandler((dead, failure) -> {
      // Only an Error gets here (every step is guarded): refuse new work at once instead of queueing it forever.
      running = false;
      LOG.error("the ZMQ thread died: no kernel can be reached until the gateway is restarted", failure);
    });
  }

  void start() {
    thread.start();
  }

  /** Stops the thread and closes every socket. */
  void stop() throws InterruptedException {
    running = false;
    wake();
    thread.join(5_000);
  }

  CompletableFuture<Void> connect(String kernelId, ConnectionInfo info) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    execute(() -> {
      closeKernel(kernelId);
      ContextShards.Shard shard = contexts.acquire();
      KernelSockets sockets;
      try {
        sockets = new KernelSockets(shard, kernelId, info, System.currentTimeMillis());
      } catch (RuntimeException failed) {
        contexts.release(shard);
        throw failed;
      }
      kernels.put(kernelId, sockets);
      sockets.channels.keySet().forEach(channel -> startReading(sockets, channel));
      selector.watch(sockets.heartbeat, () -> receiveHeartbeat(sockets));
      LOG.atDebug().addKeyValue("kernel_id", kernelId).log("zmq sockets connected [{}]", info);
      done.complete(null);
    }, done);
    return done;
  }

  void disconnect(String kernelId) {
    execute(() -> closeKernel(kernelId), null);
  }

  /**
   * Stops or resumes reading a kernel's iopub. While stopped, what the kernel publishes waits in
   * the SUB socket's queue and then in the kernel's own, instead of in the gateway's clients' queues.
   */
  void readIopub(String kernelId, boolean reading) {
    execute(() -> {
      KernelSockets sockets = kernels.get(kernelId);
      if (sockets == null || sockets.iopubPaused == !reading) {
        return;
      }
      sockets.iopubPaused = !reading;
      selector.setReading(sockets.channels.get(Channel.IOPUB), reading);
    }, null);
  }

  /**
   * Signs and sends; a message for an unknown kernel or a full queue is dropped with a log line.
   * The future completes on this thread once the message is handed to ZMQ (true) or dropped (false).
   */
  CompletableFuture<Boolean> send(String kernelId, Channel channel, WireMessage message) {
    CompletableFuture<Boolean> handedOver = new CompletableFuture<>();
    execute(() -> {
      KernelSockets sockets = kernels.get(kernelId);
      if (sockets == null) {
        LOG.atDebug().addKeyValue("kernel_id", kernelId).log("message for a kernel without sockets dropped");
        handedOver.complete(false);
        return;
      }
      ZMQ.Socket socket = sockets.channels.get(channel);
      boolean sent = sendSigned(socket, sockets, message);
      selector.recheck(socket);
      if (!sent) {
        LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("channel", channel.wireName())
            .log("kernel send queue full, message dropped");
      }
      handedOver.complete(sent);
    }, handedOver);
    return handedOver;
  }

  private void startReading(KernelSockets sockets, Channel channel) {
    ZMQ.Socket socket = sockets.channels.get(channel);
    selector.watch(socket, () -> receive(sockets, channel, socket));
  }

  private void execute(Runnable command, CompletableFuture<?> failureTarget) {
    if (!running) {
      if (failureTarget != null) {
        failureTarget.completeExceptionally(new IllegalStateException("ZMQ bridge stopped"));
      }
      return;
    }
    commands.add(() -> {
      try {
        command.run();
      } catch (RuntimeException e) {
        LOG.error("zmq command failed", e);
        if (failureTarget != null) {
          failureTarget.completeExceptionally(e);
        }
      }
    });
    wake();
  }

  private void wake() {
    if (wakeupPending.compareAndSet(false, true)) {
      try {
        wakeup.sink().write(ByteBuffer.wrap(new byte[] {1}));
      } catch (IOException e) {
        LOG.error("cannot wake the ZMQ thread", e);
      }
    }
  }

  /**
   * Empties the pipe, then allows the next wake-up. In the other order a wake-up written between
   * the two steps was read here while its flag stayed set: every later command then waited for
   * the heartbeat timeout (up to 3 s), as the scale figure showed. Commands are run after this.
   */
  private void drainWakeups() {
    try {
      while (wakeup.source().read(drain.clear()) > 0) {
        // Empty the pipe; the commands themselves are in the queue.
      }
    } catch (IOException e) {
      LOG.error("cannot read the ZMQ wake-up pipe", e);
    }
    wakeupPending.set(false);
  }

  /** Completes on this thread with the number of kernels it holds sockets for: proof that it still turns. */
  CompletableFuture<Integer> ping() {
    CompletableFuture<Integer> answered = new CompletableFuture<>();
    execute(() -> answered.complete(kernels.size()), answered);
    return answered;
  }

  /** Whether the thread still serves (false once stopped or dead). */
  boolean isAlive() {
    return running && thread.isAlive();
  }

  private void run() {
    nextHeartbeat = System.currentTimeMillis() + heartbeatIntervalMillis;
    while (running) {
      try {
        turn();
        failuresInARow = 0;
      } catch (RuntimeException e) {
        // One thread serves every kernel: a failing step must never end it.
        failuresInARow++;
        LOG.error("zmq thread step failed ({} in a row); the thread goes on", failuresInARow, e);
        backOff();
      }
    }
    new ArrayList<>(kernels.keySet()).forEach(this::closeKernel);
    selector.close();
    contexts.close();
  }

  private void turn() {
    long wait = heartbeatIntervalMillis > 0 ? Math.max(0, nextHeartbeat - System.currentTimeMillis()) : -1;
    selector.select(wait);
    Runnable command;
    while ((command = commands.poll()) != null) {
      command.run();
    }
    if (heartbeatIntervalMillis > 0 && System.currentTimeMillis() >= nextHeartbeat) {
      // The next beat is scheduled first, so a failing beat is not retried in a tight loop.
      nextHeartbeat = System.currentTimeMillis() + heartbeatIntervalMillis;
      beat();
    }
  }

  /** Repeated failures (a broken selector) must not spin a core: wait a little longer each time, at most a second. */
  private void backOff() {
    if (failuresInARow > 1) {
      try {
        Thread.sleep(Math.min(1_000, 10L * failuresInARow));
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private void closeKernel(String kernelId) {
    KernelSockets sockets = kernels.remove(kernelId);
    if (sockets != null) {
      sockets.channels.values().forEach(selector::forget);
      selector.forget(sockets.heartbeat);
      sockets.close();
      contexts.release(sockets.shard);
      LOG.atDebug().addKeyValue("kernel_id", kernelId).log("zmq sockets closed");
    }
  }

  /** Answers true when it stopped at the burst limit with messages left. */
  private boolean receive(KernelSockets sockets, Channel channel, ZMQ.Socket socket) {
    for (int i = 0; i < BURST; i++) {
      byte[] first = socket.recv(ZMQ.DONTWAIT);
      if (first == null) {
        return false;
      }
      List<byte[]> frames = new ArrayList<>(8);
      frames.add(first);
      while (socket.hasReceiveMore()) {
        frames.add(socket.recv(0));
      }
      dispatch(sockets, channel, frames);
    }
    return true;
  }

  private void dispatch(KernelSockets sockets, Channel channel, List<byte[]> frames) {
    FrameParser.Signed signed = FrameParser.parse(frames);
    if (signed == null) {
      LOG.atWarn().addKeyValue("kernel_id", sockets.kernelId).addKeyValue("channel", channel.wireName())
          .log("malformed message from kernel dropped");
      return;
    }
    if (!sockets.signer.verify(signed.signature(), signed.message())) {
      LOG.atWarn().addKeyValue("kernel_id", sockets.kernelId).addKeyValue("channel", channel.wireName())
          .log("badly signed message from kernel dropped");
      return;
    }
    WireMessage message = signed.message();
    String[] header = HeaderFields.readAll(message.header(), "msg_id", "msg_type");
    String msgType = header[1];
    String executionState = channel == Channel.IOPUB && "status".equals(msgType)
        ? HeaderFields.read(message.content(), "execution_state") : null;
    KernelMessage received = new KernelMessage(sockets.kernelId, channel, message, header[0], msgType,
        HeaderFields.read(message.parentHeader(), "msg_id"), executionState);
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

  private boolean receiveHeartbeat(KernelSockets sockets) {
    // A REQ socket holds at most one reply; a second recv would fail with EFSM.
    if (sockets.heartbeat.recv(ZMQ.DONTWAIT) != null) {
      while (sockets.heartbeat.hasReceiveMore()) {
        sockets.heartbeat.recv(0);
      }
      sockets.lastHeartbeatReply = System.currentTimeMillis();
      sockets.heartbeatPending = false;
      sockets.heartbeatLostReported = false;
    }
    return false;
  }

  private void beat() {
    long now = System.currentTimeMillis();
    for (KernelSockets sockets : kernels.values()) {
      if (sockets.heartbeatPending && now - sockets.lastHeartbeatReply > 3 * heartbeatIntervalMillis
          && !sockets.heartbeatLostReported) {
        sockets.heartbeatLostReported = true;
        LOG.atWarn().addKeyValue("kernel_id", sockets.kernelId).log("kernel stopped answering heartbeats");
        sink.heartbeatLost(sockets.kernelId);
      }
      sockets.heartbeat.send(PING, ZMQ.DONTWAIT);
      selector.recheck(sockets.heartbeat);
      sockets.heartbeatPending = true;
    }
  }

  private static boolean sendSigned(ZMQ.Socket socket, KernelSockets sockets, WireMessage message) {
    byte[] signature = sockets.signer.sign(message);
    List<byte[]> frames = new ArrayList<>(6 + message.buffers().size());
    frames.add(FrameParser.DELIMITER);
    frames.add(signature);
    frames.add(message.header());
    frames.add(message.parentHeader());
    frames.add(message.metadata());
    frames.add(message.content());
    frames.addAll(message.buffers());
    for (int i = 0; i < frames.size(); i++) {
      int flags = ZMQ.DONTWAIT | (i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
      if (!socket.send(frames.get(i), flags)) {
        return i > 0;
      }
    }
    return true;
  }
}
