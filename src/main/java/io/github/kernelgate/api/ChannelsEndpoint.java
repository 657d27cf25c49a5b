package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/kernels/{kid}/channels}: checks the kernel exists (404 JSON otherwise), then
 * upgrades to a WebSocket and attaches it to the kernel's {@link KernelClientHub}; for a kernel
 * another replica owns, the WebSocket is relayed to that replica ({@link ClientRelay}), whose hub
 * takes it as one of its own ({@link #openRelayed}). Token and origin were checked by the router
 * before this runs.
 */
final class ChannelsEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsEndpoint.class);
  /** How long after a take-over the clients of the replica that left are expected back. */
  private static final long RETURN_GRACE_MILLIS = 10 * 60_000;

  private final Vertx vertx;
  private final KernelBus kernels;
  private final GatewayConfig config;
  private final Map<String, KernelClientHub> hubs = new HashMap<>();
  private final ClientMetrics metrics;

  ChannelsEndpoint(Vertx vertx, KernelBus kernels, GatewayConfig config, ClientMetrics metrics) {
    this.vertx = vertx;
    this.kernels = kernels;
    this.config = config;
    this.metrics = metrics;
  }

  void handle(RoutingContext ctx) {
    String kernelId = KernelHandlers.kernelId(ctx);
    if (!"websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"))) {
      ctx.fail(GatewayException.badRequest("Can \"Upgrade\" only to \"WebSocket\"."));
      return;
    }
    String requestedSession = ctx.request().getParam("session_id");
    String sessionId = requestedSession == null || requestedSession.isBlank() ? UUID.randomUUID().toString() : requestedSession;
    ctx.request().pause();
    kernels.ownerOf(kernelId).compose(owner -> kernels.get(kernelId).compose(model -> ctx.request().toWebSocket().compose(socket -> {
      if (kernels.isSelf(owner)) {
        attach(new WebSocketClientSocket(vertx, socket, kernelId, config.wsPingIntervalSeconds(), config.wsFrameBytes(), metrics), kernelId, sessionId, model);
        return Future.succeededFuture(socket);
      }
      return ClientRelay.open(vertx, socket, kernelId, sessionId, owner, config.wsMaxPendingBytes(), config.wsPingIntervalSeconds(), config.wsFrameBytes(),
          metrics).map(socket);
    })))
        .onSuccess(socket -> LOG.atDebug().addKeyValue("kernel_id", kernelId).addKeyValue("session", sessionId)
            .addKeyValue("subprotocol", socket.subProtocol()).log("websocket attached"))
        .onFailure(failure -> {
          if (ctx.response().headWritten()) {
            // The client went away in the middle of the upgrade, or the relay failed after it: nothing left to answer.
            LOG.atDebug().addKeyValue("kernel_id", kernelId).log("websocket upgrade aborted: {}", failure.getMessage());
            return;
          }
          ctx.request().resume();
          ctx.fail(failure);
        });
  }

  /**
   * Another replica's client for a kernel of this one (body {@code {kernel_id, session_id, v1,
   * relay}}, see {@link RelayWire}): attached like a client of this replica once the relay can
   * reach it.
   */
  Future<JsonObject> openRelayed(JsonObject body) {
    String kernelId = body.getString("kernel_id");
    return kernels.get(kernelId).compose(model -> {
      RelayedClientSocket socket = new RelayedClientSocket(vertx, body.getString("relay"), body.getBoolean("v1", false));
      return socket.registered().map(registered -> {
        attach(socket, kernelId, body.getString("session_id"), model);
        return new JsonObject();
      });
    });
  }

  private void attach(ClientSocket socket, String kernelId, String sessionId, JsonObject model) {
    ClientConnection client = new ClientConnection(socket, kernelId, sessionId, config.wsMaxPendingBytes(), metrics);
    KernelClientHub hub = hubOf(kernelId);
    client.start(vertx, message -> hub.fromClient(client, message), () -> hub.detach(client));
    hub.attach(client);
    if ("dead".equals(model.getString("execution_state"))) {
      // Without this the client would wait on a kernel that will never answer.
      client.sendStatus("dead");
    }
  }

  private KernelClientHub hubOf(String kernelId) {
    return hubs.computeIfAbsent(kernelId, id -> new KernelClientHub(vertx, id, config.wsSlowClientSeconds() * 1000L, config.replayBufferBytes(),
        metrics));
  }

  /**
   * Passes lifecycle news to the kernel's clients, if any are attached; a kernel shut down takes
   * its hub with it; a kernel taken over from a replica that left gets a hub at once, to keep its
   * output for the clients that reconnect here.
   */
  void stateChanged(String kernelId, String state) {
    if ("taken-over".equals(state)) {
      hubOf(kernelId).expectReturningClients(RETURN_GRACE_MILLIS);
      return;
    }
    KernelClientHub hub = hubs.get(kernelId);
    if (hub != null) {
      hub.stateChanged(state);
      if ("shutdown".equals(state) || "moved".equals(state)) {
        hubs.remove(kernelId);
        hub.close();
      }
    }
  }
}
