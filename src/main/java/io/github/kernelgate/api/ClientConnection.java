package io.github.kernelgate.api;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.ClientMessage;
import io.github.kernelgate.protocol.FrameException;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.LegacyFraming;
import io.github.kernelgate.protocol.V1Framing;
import io.github.kernelgate.protocol.WireMessage;
import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's WebSocket on a kernel (its own, or one another replica relays): decodes its
 * frames (legacy JSON/binary or v1), frames kernel messages for it, and closes it with a reason
 * when it sends nothing but garbage. Both directions are bounded by the same budget: what is queued for the client is
 * counted (its hub's {@link IopubPacing} holds iopub back while it is over), and reading from the
 * client pauses while its messages still waiting for ZMQ are over the budget. A single
 * unreadable frame is dropped with a warning, as Jupyter Server does: its gateway client forwards
 * a browser's binary frames as text, and closing would lose the connection, not just that frame.
 */
final class ClientConnection {

  private static final Logger LOG = LoggerFactory.getLogger(ClientConnection.class);
  /** Unreadable frames in a row after which the client is taken for a garbage source and closed (1007). */
  static final int MAX_UNREADABLE_IN_A_ROW = 10;

  private final ClientSocket socket;
  private final String kernelId;
  private final String sessionId;
  private final boolean v1;
  private final long maxPendingBytes;
  private final ClientMetrics metrics;
  private long pendingBytes;
  /** When a write to the client last completed, or its backlog last went over budget. */
  private long lastProgress = System.currentTimeMillis();
  private long toKernelBytes;
  private boolean readingPaused;
  private Runnable backlogShrank = () -> { };
  private Consumer<SequencedMessage> undelivered = message -> { };
  private Vertx vertx;
  private Runnable onClose = () -> { };
  private boolean closed;
  private int unreadableInARow;

  ClientConnection(ClientSocket socket, String kernelId, String sessionId, long maxPendingBytes, ClientMetrics metrics) {
    this.metrics = metrics;
    this.socket = socket;
    this.kernelId = kernelId;
    this.sessionId = sessionId;
    this.v1 = socket.isV1();
    this.maxPendingBytes = maxPendingBytes;
  }

  /**
   * Starts reading; {@code onMessage} gets every decoded client message and answers when ZMQ took
   * it. {@code onClose} runs once, as soon as the connection is known to be over: closed by either
   * side, or broken under a write.
   */
  void start(Vertx vertx, Function<ClientMessage, Future<?>> onMessage, Runnable onClose) {
    this.vertx = vertx;
    this.onClose = onClose;
    socket.handlers(text -> decode(() -> {
      if (v1) {
        throw new FrameException("text frames are not part of the v1 protocol");
      }
      return LegacyFraming.fromClientText(text);
    }, onMessage), data -> decode(() -> v1 ? V1Framing.fromClient(data) : LegacyFraming.fromClientBinary(data), onMessage), this::markClosed);
  }

  private interface Decoder {
    ClientMessage decode();
  }

  private void decode(Decoder decoder, Function<ClientMessage, Future<?>> onMessage) {
    ClientMessage message;
    try {
      message = decoder.decode();
    } catch (FrameException garbage) {
      unreadableInARow++;
      if (unreadableInARow >= MAX_UNREADABLE_IN_A_ROW) {
        LOG.atInfo().addKeyValue("kernel_id", kernelId)
            .log("closing websocket after {} unreadable frames in a row: {}", unreadableInARow, garbage.getMessage());
        close((short) 1007, garbage.getMessage());
      } else {
        LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("session", sessionId)
            .log("unreadable websocket frame dropped: {}", garbage.getMessage());
      }
      return;
    }
    unreadableInARow = 0;
    long size = message.message().size();
    toKernelBytes += size;
    if (toKernelBytes > maxPendingBytes && !readingPaused) {
      readingPaused = true;
      socket.pause();
    }
    onMessage.apply(message).onComplete(handedOver -> {
      toKernelBytes -= size;
      if (readingPaused && toKernelBytes <= maxPendingBytes / 2) {
        readingPaused = false;
        socket.resume();
      }
    });
  }

  /** {@code listener} runs whenever a write to the client completes while it is within budget. */
  void onBacklogShrank(Runnable listener) {
    this.backlogShrank = listener;
  }

  /**
   * {@code listener} gets each kernel message whose write failed (the connection broke under it),
   * so that it can be kept for the session's return; nothing more is written here after that.
   */
  void onUndelivered(Consumer<SequencedMessage> listener) {
    this.undelivered = listener;
  }

  /** Whether more output is queued for this open client than its budget. */
  boolean isOverBudget() {
    return !closed && pendingBytes > maxPendingBytes;
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** When this client last took some of its output (or went over budget): a client over budget since long before is stalled. */
  long lastProgress() {
    return lastProgress;
  }

  String sessionId() {
    return sessionId;
  }

  /** Frames and queues one kernel message for this client alone. */
  void send(SequencedMessage sent) {
    send(MessageFrames.forOneClient(sent));
  }

  /** Queues one kernel message in this client's framing; its size counts against the budget until it is written. */
  void send(MessageFrames frames) {
    SequencedMessage sent = frames.sent();
    Future<Void> written = write(sent.message().message(), () -> v1 ? socket.writeBinary(frames.v1()) : writeLegacy(frames.legacy()));
    // Handled on a later turn: a write to a closed socket fails at once, and the hub may be iterating its clients.
    written.onFailure(broken -> vertx.runOnContext(later -> {
      markClosed();
      undelivered.accept(sent);
    }));
  }

  /** Writes {@code message} framed by {@code framedWrite}; its size counts against the budget until written. */
  private Future<Void> write(WireMessage message, Supplier<Future<Void>> framedWrite) {
    if (closed) {
      return Future.failedFuture("closed");
    }
    long size = message.size();
    if (pendingBytes <= maxPendingBytes && pendingBytes + size > maxPendingBytes) {
      lastProgress = System.currentTimeMillis();
    }
    pendingBytes += size;
    var written = framedWrite.get();
    written.onComplete(done -> {
      pendingBytes -= size;
      lastProgress = System.currentTimeMillis();
      if (pendingBytes <= maxPendingBytes) {
        backlogShrank.run();
      }
    });
    return written;
  }

  private Future<Void> writeLegacy(LegacyFraming.Frame frame) {
    return frame.binary() ? socket.writeBinary(frame.data()) : socket.writeText(frame.data());
  }

  /** Sends an iopub status message built by the gateway (restarting, starting, dead). */
  void sendStatus(String executionState) {
    WireMessage status = GatewayMessages.status(executionState, sessionId);
    write(status, () -> v1 ? socket.writeBinary(V1Framing.toClient(Channel.IOPUB, status))
        : writeLegacy(LegacyFraming.toClient(Channel.IOPUB, status, GatewayMessages.msgId(status), "status", LegacyFraming.isUtf8(status))));
  }

  void close(short code, String reason) {
    if (!closed) {
      metrics.closed(code);
      markClosed();
      String shortReason = reason.length() > 120 ? reason.substring(0, 120) : reason;
      socket.close(code, shortReason);
    }
  }

  private void markClosed() {
    if (closed) {
      return;
    }
    closed = true;
    onClose.run();
  }

  boolean isClosed() {
    return closed;
  }
}
