package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.cluster.ReplicaDepartures;
import io.github.kernelgate.protocol.V1Framing;
import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the replica a client connected to, its WebSocket for a kernel another replica owns: every
 * message is passed on whole, both ways (see {@link RelayWire}); the kernel's owner does the
 * framing, the routing by session, replay and pacing, exactly as for its own clients. Here, the
 * client is pinged, its reading pauses while more of its messages than the budget wait for the
 * owner's answer, and a relay the owner stops answering is closed with 1011, one whose owner
 * left the cluster with 1012 (the client then reconnects, and finds the kernel wherever it is
 * served then).
 */
final class ClientRelay {

  private static final Logger LOG = LoggerFactory.getLogger(ClientRelay.class);
  private static final long OPEN_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final ServerWebSocket socket;
  private final String kernelId;
  private final String owner;
  private final String relay = "kernelgate.relay." + UUID.randomUUID();
  private final long maxPendingBytes;
  private final OutgoingFrames frames;
  private final WebSocketPings pings;
  private final ClientMetrics metrics;
  private MessageConsumer<Buffer> fromOwner;
  private MessageConsumer<JsonObject> departures;
  private long toOwnerBytes;
  private boolean readingPaused;
  private boolean closed;

  private ClientRelay(Vertx vertx, ServerWebSocket socket, String kernelId, String owner, long maxPendingBytes, int pingIntervalSeconds,
                      int maxFrameBytes, ClientMetrics metrics) {
    this.vertx = vertx;
    this.socket = socket;
    this.frames = new OutgoingFrames(socket, maxFrameBytes);
    this.kernelId = kernelId;
    this.owner = owner;
    this.maxPendingBytes = maxPendingBytes;
    this.metrics = metrics;
    this.pings = WebSocketPings.start(vertx, socket, pingIntervalSeconds, metrics);
    metrics.clientOpened();
  }

  /** Relays {@code socket} (just upgraded) to the kernel's owner; completes once the owner took the client. */
  static Future<Void> open(Vertx vertx, ServerWebSocket socket, String kernelId, String sessionId, String owner, long maxPendingBytes,
                           int pingIntervalSeconds, int maxFrameBytes, ClientMetrics metrics) {
    ClientRelay relay = new ClientRelay(vertx, socket, kernelId, owner, maxPendingBytes, pingIntervalSeconds, maxFrameBytes, metrics);
    return relay.start(sessionId);
  }

  private Future<Void> start(String sessionId) {
    // Nothing is read from the client until the owner can take it.
    socket.pause();
    socket.textMessageHandler(text -> toOwner(RelayWire.TEXT, Buffer.buffer(text)));
    socket.binaryMessageHandler(data -> toOwner(RelayWire.BINARY, data));
    socket.exceptionHandler(failure -> LOG.atDebug().addKeyValue("kernel_id", kernelId)
        .log("relayed websocket error: {}", failure.getMessage()));
    socket.closeHandler(ended -> {
      metrics.clientClosed();
      clientClosed();
    });
    fromOwner = vertx.eventBus().consumer(RelayWire.toClient(relay), this::fromOwner);
    // An idle client would never learn that the owner died: the departure closes it, and it reconnects.
    departures = ReplicaDepartures.onDeparture(vertx, owner,
        () -> close((short) 1012, "the replica serving this kernel left; reconnect to continue"));
    JsonObject opening = new JsonObject().put("kernel_id", kernelId).put("session_id", sessionId)
        .put("v1", V1Framing.SUBPROTOCOL.equals(socket.subProtocol())).put("relay", relay);
    return fromOwner.completion()
        .compose(registered -> vertx.eventBus().request(Addresses.onReplica(owner, RelayWire.OPEN), opening,
            new DeliveryOptions().setSendTimeout(OPEN_TIMEOUT_MILLIS)))
        .<Void>mapEmpty()
        .onSuccess(opened -> {
          LOG.atDebug().addKeyValue("kernel_id", kernelId).addKeyValue("owner", owner).addKeyValue("session", sessionId)
              .log("websocket relayed");
          socket.resume();
        })
        .onFailure(refused -> close((short) 1011, "the replica serving this kernel refused the connection: "
            + BusErrors.toException(refused).getMessage()));
  }

  private void toOwner(String kind, Buffer data) {
    long size = data.length();
    toOwnerBytes += size;
    if (toOwnerBytes > maxPendingBytes && !readingPaused) {
      readingPaused = true;
      socket.pause();
    }
    vertx.eventBus().request(RelayWire.toKernel(relay), data, RelayWire.kind(kind)).onComplete(taken -> {
      toOwnerBytes -= size;
      if (taken.failed()) {
        ownerLost(taken.cause());
      } else if (readingPaused && toOwnerBytes <= maxPendingBytes / 2) {
        readingPaused = false;
        socket.resume();
      }
    });
  }

  private void fromOwner(Message<Buffer> message) {
    String kind = message.headers().get(RelayWire.KIND);
    if (RelayWire.CLOSE.equals(kind)) {
      // The owner decided (and counted) this close: it is only passed on.
      JsonObject close = new JsonObject(message.body());
      closeSocket(close.getInteger("code", 1000).shortValue(), close.getString("reason", ""));
      return;
    }
    Future<Void> written = RelayWire.TEXT.equals(kind) ? frames.text(message.body())
        : frames.binary(message.body());
    written.onComplete(done -> {
      if (done.succeeded()) {
        message.reply(null);
      } else {
        message.fail(410, "the client's websocket is closed");
      }
    });
  }

  private void ownerLost(Throwable failure) {
    if (!closed) {
      String why = failure instanceof ReplyException reply ? reply.failureType() + " " + reply.getMessage() : failure.getMessage();
      LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("owner", owner).log("relay to replica lost: {}", why);
      close((short) 1011, "the replica serving this kernel stopped answering");
    }
  }

  private void close(short code, String reason) {
    if (!closed) {
      metrics.closed(code);
      closeSocket(code, reason);
    }
  }

  private void closeSocket(short code, String reason) {
    if (closed) {
      return;
    }
    end();
    socket.close(code, reason.length() > 120 ? reason.substring(0, 120) : reason);
  }

  /** The client went away: the owner drops it (and keeps its session's output for its return). */
  private void clientClosed() {
    if (!closed) {
      vertx.eventBus().send(RelayWire.toKernel(relay), RelayWire.closing((short) 1000, "client closed"), RelayWire.kind(RelayWire.CLOSE));
      end();
    }
  }

  private void end() {
    closed = true;
    pings.stop();
    fromOwner.unregister();
    departures.unregister();
  }
}
