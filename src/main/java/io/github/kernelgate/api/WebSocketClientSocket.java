package io.github.kernelgate.api;

import io.github.kernelgate.protocol.V1Framing;
import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client's own WebSocket on this replica, pinged while it is open and counted as a client of
 * this gateway; messages go out through {@link OutgoingFrames} (in frames of at most KG_WS_FRAME_BYTES).
 */
final class WebSocketClientSocket implements ClientSocket {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketClientSocket.class);

  private final ServerWebSocket socket;
  private final OutgoingFrames frames;
  private final String kernelId;
  private final WebSocketPings pings;
  private final ClientMetrics metrics;

  WebSocketClientSocket(Vertx vertx, ServerWebSocket socket, String kernelId, int pingIntervalSeconds, int maxFrameBytes, ClientMetrics metrics) {
    this.socket = socket;
    this.frames = new OutgoingFrames(socket, maxFrameBytes);
    this.kernelId = kernelId;
    this.metrics = metrics;
    this.pings = WebSocketPings.start(vertx, socket, pingIntervalSeconds, metrics);
    metrics.clientOpened();
  }

  @Override
  public boolean isV1() {
    return V1Framing.SUBPROTOCOL.equals(socket.subProtocol());
  }

  @Override
  public void handlers(Consumer<String> text, Consumer<Buffer> binary, Runnable ended) {
    socket.textMessageHandler(text::accept);
    socket.binaryMessageHandler(binary::accept);
    socket.exceptionHandler(failure -> LOG.atDebug().addKeyValue("kernel_id", kernelId)
        .log("websocket error: {}", failure.getMessage()));
    socket.closeHandler(closed -> {
      metrics.clientClosed();
      pings.stop();
      ended.run();
    });
  }

  @Override
  public void pause() {
    socket.pause();
  }

  @Override
  public void resume() {
    socket.resume();
  }

  @Override
  public Future<Void> writeText(Buffer utf8) {
    return frames.text(utf8);
  }

  @Override
  public Future<Void> writeBinary(Buffer data) {
    return frames.binary(data);
  }

  @Override
  public void close(short code, String reason) {
    pings.stop();
    socket.close(code, reason);
  }
}
