package io.github.kernelgate.zmq;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.ConnectionInfo;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.OutgoingMessage;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ZMQ bridge: owns every kernel's sockets through one {@link SocketOwner} thread and speaks
 * to the rest of the gateway only over the event bus. Client messages come in on
 * {@link Addresses#ZMQ_SEND}; kernel messages go out on {@link Addresses#kernelMessages(String)}.
 * The gateway's own requests ({@link Addresses#ZMQ_REQUEST}) get their replies here and are not
 * shown to clients.
 */
public final class ZmqVerticle extends VerticleBase implements MessageSink {

  private static final long ACTIVITY_THROTTLE_MILLIS = 1_000;

  /** A gateway request waiting for the kernel's reply. */
  private record PendingRequest(String kernelId, Message<JsonObject> request, long timerId) {
  }

  private final Map<String, PendingRequest> pending = new ConcurrentHashMap<>();
  private SocketOwner owner;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    owner = new SocketOwner(this, config.heartbeatIntervalSeconds() * 1000L, ACTIVITY_THROTTLE_MILLIS);
    owner.start();
    var bus = vertx.eventBus();
    return Future.all(
        bus.<JsonObject>consumer(Addresses.ZMQ_CONNECT, this::connect).completion(),
        bus.<JsonObject>consumer(Addresses.ZMQ_DISCONNECT, this::disconnect).completion(),
        bus.<OutgoingMessage>localConsumer(Addresses.ZMQ_SEND, this::send).completion(),
        bus.<JsonObject>consumer(Addresses.ZMQ_REQUEST, this::request).completion());
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      owner.stop();
      return null;
    }, false);
  }

  private void connect(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    ConnectionInfo info;
    try {
      info = ConnectionInfo.fromJson(request.body().getJsonObject("connection_info"));
    } catch (RuntimeException bad) {
      request.fail(400, GatewayException.badRequest("invalid connection info: " + bad.getMessage()).toJson().encode());
      return;
    }
    Future.fromCompletionStage(owner.connect(kernelId, info), context)
        .onSuccess(done -> request.reply(new JsonObject()))
        .onFailure(failure -> BusErrors.fail(request, failure));
  }

  private void disconnect(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    owner.disconnect(kernelId);
    pending.forEach((msgId, waiting) -> {
      if (waiting.kernelId().equals(kernelId) && pending.remove(msgId) != null) {
        vertx.cancelTimer(waiting.timerId());
        waiting.request().fail(503, GatewayException.unavailable("kernel disconnected").toJson().encode());
      }
    });
    request.reply(new JsonObject());
  }

  private void send(Message<OutgoingMessage> message) {
    OutgoingMessage outgoing = message.body();
    owner.send(outgoing.kernelId(), outgoing.channel(), outgoing.message());
  }

  private void request(Message<JsonObject> request) {
    JsonObject body = request.body();
    String kernelId = body.getString("kernel_id");
    Channel channel = Channel.fromWireName(body.getString("channel", "shell")).orElse(Channel.SHELL);
    String msgType = body.getString("msg_type");
    long timeoutMillis = body.getLong("timeout_ms", 10_000L);
    WireMessage message = GatewayMessages.create(msgType, null, body.getJsonObject("content", new JsonObject()));
    String msgId = GatewayMessages.msgId(message);
    long timerId = vertx.setTimer(timeoutMillis, fired -> {
      if (pending.remove(msgId) != null) {
        request.fail(504, new GatewayException(504, "Kernel " + kernelId + " did not answer " + msgType
            + " within " + timeoutMillis + " ms").toJson().encode());
      }
    });
    pending.put(msgId, new PendingRequest(kernelId, request, timerId));
    owner.send(kernelId, channel, message);
  }

  // Called on the socket-owner thread.
  @Override
  public void received(KernelMessage message, boolean reportActivity) {
    if (message.channel() != Channel.IOPUB && message.parentMsgId() != null) {
      PendingRequest waiting = pending.remove(message.parentMsgId());
      if (waiting != null) {
        context.runOnContext(v -> {
          vertx.cancelTimer(waiting.timerId());
          waiting.request().reply(new JsonObject().put("msg_type", message.msgType())
              .put("content", new JsonObject(io.vertx.core.buffer.Buffer.buffer(message.message().content()))));
        });
        return;
      }
    }
    vertx.eventBus().publish(Addresses.kernelMessages(message.kernelId()), message);
    if (reportActivity) {
      JsonObject activity = new JsonObject().put("kernel_id", message.kernelId());
      if (message.executionState() != null) {
        activity.put("execution_state", message.executionState());
      }
      vertx.eventBus().publish(Addresses.ZMQ_ACTIVITY, activity);
    }
  }

  // Called on the socket-owner thread.
  @Override
  public void heartbeatLost(String kernelId) {
    vertx.eventBus().publish(Addresses.ZMQ_HEARTBEAT_LOST, new JsonObject().put("kernel_id", kernelId));
  }
}
