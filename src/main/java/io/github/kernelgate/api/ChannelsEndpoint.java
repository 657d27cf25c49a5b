package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/kernels/{kid}/channels}: checks the kernel exists (404 JSON otherwise), then
 * upgrades to a WebSocket and attaches it to the kernel's {@link KernelClientHub}. Token and
 * origin were checked by the router before this runs.
 */
final class ChannelsEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(ChannelsEndpoint.class);

  private final Vertx vertx;
  private final KernelBus kernels;
  private final GatewayConfig config;
  private final Map<String, KernelClientHub> hubs = new HashMap<>();

  ChannelsEndpoint(Vertx vertx, KernelBus kernels, GatewayConfig config) {
    this.vertx = vertx;
    this.kernels = kernels;
    this.config = config;
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
    kernels.get(kernelId)
        .compose(model -> ctx.request().toWebSocket().map(socket -> {
          ClientConnection client = new ClientConnection(socket, kernelId, sessionId, config.wsMaxPendingBytes());
          KernelClientHub hub = hubs.computeIfAbsent(kernelId,
              id -> new KernelClientHub(vertx, id, config.wsSlowClientSeconds() * 1000L, config.replayBufferBytes()));
          client.start(vertx, config.wsPingIntervalSeconds(), message -> hub.fromClient(client, message), () -> hub.detach(client));
          hub.attach(client);
          if ("dead".equals(model.getString("execution_state"))) {
            // Without this the client would wait on a kernel that will never answer.
            client.sendStatus("dead");
          }
          return socket;
        }))
        .onSuccess(socket -> LOG.debug("websocket attached [kernel_id={}, session={}, subprotocol={}]", kernelId, sessionId,
            socket.subProtocol()))
        .onFailure(failure -> {
          if (ctx.response().headWritten()) {
            // The client went away in the middle of the upgrade: nothing left to answer.
            LOG.debug("websocket upgrade aborted [kernel_id={}]: {}", kernelId, failure.getMessage());
            return;
          }
          ctx.request().resume();
          ctx.fail(failure);
        });
  }

  /** Passes lifecycle news to the kernel's clients, if any are attached; a kernel shut down takes its hub with it. */
  void stateChanged(String kernelId, String state) {
    KernelClientHub hub = hubs.get(kernelId);
    if (hub != null) {
      hub.stateChanged(state);
      if ("shutdown".equals(state)) {
        hubs.remove(kernelId);
        hub.close();
      }
    }
  }
}
