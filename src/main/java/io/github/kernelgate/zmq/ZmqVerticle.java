package io.github.kernelgate.zmq;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.ops.MessageMetrics;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.OutgoingMessage;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZMQ bridge: owns every kernel's connections ({@link KernelConnections}, on this verticle's
 * event loop) and speaks to the rest of the gateway only over the event bus. Client messages come in on
 * {@link Addresses#ZMQ_SEND}; kernel messages go out on {@link Addresses#kernelMessages(String)}.
 * The gateway's own requests ({@link Addresses#ZMQ_REQUEST}) get their replies here and are not
 * shown to clients.
 */
public final class ZmqVerticle extends VerticleBase implements MessageSink {

  private static final Logger LOG = LoggerFactory.getLogger(ZmqVerticle.class);
  private static final long ACTIVITY_THROTTLE_MILLIS = 1_000;

  /** A gateway request waiting for the kernel's reply. */
  private record PendingRequest(String kernelId, Promise<JsonObject> reply, long timerId) {
  }

  private final Map<String, PendingRequest> pending = new HashMap<>();
  /** Readiness checks in progress by kernel id. */
  private final Map<String, List<ReadinessCheck>> readinessChecks = new HashMap<>();
  private KernelConnections connections;
  private final MessageMetrics metrics;

  public ZmqVerticle(MessageMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    connections = new KernelConnections(vertx, this, config.heartbeatIntervalSeconds() * 1000L, ACTIVITY_THROTTLE_MILLIS);
    var bus = vertx.eventBus();
    return Future.all(List.of(
        bus.<JsonObject>localConsumer(Addresses.ZMQ_CONNECT, this::connect).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_DISCONNECT, this::disconnect).completion(),
        bus.<OutgoingMessage>localConsumer(Addresses.ZMQ_SEND, this::send).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_READ_IOPUB, this::readIopub).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_REQUEST, this::request).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_AWAIT_READY, this::awaitReady).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_PING, this::ping).completion()));
  }

  @Override
  public Future<?> stop() {
    connections.close();
    return Future.succeededFuture();
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
    try {
      connections.connect(kernelId, info);
    } catch (IllegalArgumentException unsupported) {
      request.fail(400, GatewayException.badRequest("invalid connection info: " + unsupported.getMessage()).toJson().encode());
      return;
    }
    request.reply(new JsonObject());
  }

  private void disconnect(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    connections.disconnect(kernelId);
    List<ReadinessCheck> checks = readinessChecks.remove(kernelId);
    if (checks != null) {
      checks.forEach(check -> check.fail(GatewayException.unavailable("kernel " + kernelId + " disconnected")));
    }
    // Collected first: failing a request runs its callers' handlers, which may touch the map (removing inside forEach threw,
    // and the disconnect was never answered).
    List<String> ofKernel = pending.entrySet().stream().filter(entry -> entry.getValue().kernelId().equals(kernelId))
        .map(Map.Entry::getKey).toList();
    for (String msgId : ofKernel) {
      PendingRequest waiting = pending.remove(msgId);
      if (waiting != null) {
        vertx.cancelTimer(waiting.timerId());
        waiting.reply().tryFail(GatewayException.unavailable("kernel " + kernelId + " disconnected"));
      }
    }
    request.reply(new JsonObject());
  }

  /** A client's message; a sender that asked for an answer gets one once it is written to the kernel's connection, to pace its client. */
  private void send(Message<OutgoingMessage> message) {
    OutgoingMessage outgoing = message.body();
    metrics.message(MessageMetrics.Direction.TO_KERNEL, outgoing.channel(), outgoing.message().size());
    var written = connections.send(outgoing.kernelId(), outgoing.channel(), outgoing.message());
    if (message.replyAddress() != null) {
      written.onComplete(sent -> message.reply(sent.succeeded() && sent.result()));
    }
  }

  /** Answered on the event loop that serves every kernel connection: a blocked loop leaves the health check to time out. */
  private void ping(Message<JsonObject> request) {
    request.reply(new JsonObject().put("kernels", connections.size()));
  }

  private void readIopub(Message<JsonObject> request) {
    connections.readIopub(request.body().getString("kernel_id"), request.body().getBoolean("reading", true));
  }

  private void request(Message<JsonObject> request) {
    JsonObject body = request.body();
    Channel channel = Channel.fromWireName(body.getString("channel", "shell")).orElse(Channel.SHELL);
    send(body.getString("kernel_id"), channel, body.getString("msg_type"), body.getJsonObject("content", new JsonObject()),
        body.getLong("timeout_ms", 10_000L))
        .onSuccess(request::reply)
        .onFailure(failure -> BusErrors.fail(request, failure));
  }

  /** Sends a gateway request; the future gets the kernel's reply {@code {msg_type, content}} or a 504. */
  private Future<JsonObject> send(String kernelId, Channel channel, String msgType, JsonObject content, long timeoutMillis) {
    WireMessage message = GatewayMessages.create(msgType, null, content);
    String msgId = GatewayMessages.msgId(message);
    Promise<JsonObject> reply = Promise.promise();
    long timerId = vertx.setTimer(timeoutMillis, fired -> {
      if (pending.remove(msgId) != null) {
        reply.tryFail(new GatewayException(504, "Kernel " + kernelId + " did not answer " + msgType + " within " + timeoutMillis + " ms"));
      }
    });
    pending.put(msgId, new PendingRequest(kernelId, reply, timerId));
    metrics.message(MessageMetrics.Direction.TO_KERNEL, channel, message.size());
    connections.send(kernelId, channel, message);
    return reply.future();
  }

  /** Answers once the kernel is ready for clients (see {@link ReadinessCheck}) or fails with a 504. */
  private void awaitReady(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    long timeoutMillis = request.body().getLong("timeout_ms", 30_000L);
    long started = System.currentTimeMillis();
    long deadline = started + timeoutMillis;
    ReadinessCheck check = new ReadinessCheck(vertx, timeoutMillis, () -> {
      long left = Math.max(1, deadline - System.currentTimeMillis());
      // On control too: a kernel taken over while it runs a cell answers there (ipykernel 6 and
      // later serve control on their own thread), while its shell answers only once the cell is over.
      return Future.any(send(kernelId, Channel.SHELL, "kernel_info_request", new JsonObject(), left),
          send(kernelId, Channel.CONTROL, "kernel_info_request", new JsonObject(), left));
    });
    readinessChecks.computeIfAbsent(kernelId, id -> new ArrayList<>()).add(check);
    check.outcome().onComplete(outcome -> {
      List<ReadinessCheck> checks = readinessChecks.get(kernelId);
      if (checks != null && checks.remove(check) && checks.isEmpty()) {
        readinessChecks.remove(kernelId);
      }
      if (outcome.succeeded()) {
        LOG.atDebug().addKeyValue("kernel_id", kernelId).addKeyValue("after_ms", System.currentTimeMillis() - started)
            .addKeyValue("kernel_info_requests", check.nudges()).log("kernel ready");
        request.reply(new JsonObject());
      } else {
        BusErrors.fail(request, outcome.cause());
      }
    });
  }

  private void iopubArrived(String kernelId) {
    List<ReadinessCheck> checks = readinessChecks.get(kernelId);
    if (checks != null) {
      List.copyOf(checks).forEach(ReadinessCheck::iopubArrived);
    }
  }

  @Override
  public void received(KernelMessage message, boolean reportActivity) {
    metrics.message(MessageMetrics.Direction.FROM_KERNEL, message.channel(), message.message().size());
    if (message.channel() != Channel.IOPUB && message.parentMsgId() != null) {
      PendingRequest waiting = pending.remove(message.parentMsgId());
      if (waiting != null) {
        vertx.cancelTimer(waiting.timerId());
        waiting.reply().tryComplete(new JsonObject().put("msg_type", message.msgType())
            .put("content", new JsonObject(io.vertx.core.buffer.Buffer.buffer(message.message().content()))));
        return;
      }
    }
    if (message.channel() == Channel.IOPUB && readinessChecks.containsKey(message.kernelId())) {
      iopubArrived(message.kernelId());
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

  @Override
  public void heartbeatLost(String kernelId) {
    vertx.eventBus().publish(Addresses.ZMQ_HEARTBEAT_LOST, new JsonObject().put("kernel_id", kernelId));
  }
}
