package io.github.kernelgate.api;

import io.github.kernelgate.ops.ClientMetrics;
import io.github.kernelgate.ops.GatewayMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Client → kernel back-pressure on a real WebSocket: while the messages a client sent are not yet
 * taken by ZMQ beyond the budget, the gateway stops reading from that client; it reads on once
 * they are taken, and nothing is lost.
 */
class ClientReadPacingTest {

  private static final int BUDGET = 1024 * 1024;
  private static final int MESSAGE_CHARS = 256 * 1024;
  private static final int MESSAGES = 64;

  private final List<Promise<Void>> waitingForZmq = new CopyOnWriteArrayList<>();
  private Vertx vertx;
  private volatile Context connectionContext;
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(4 * BUDGET).setMaxWebSocketMessageSize(4 * BUDGET))
        .requestHandler(request -> request.toWebSocket().onSuccess(socket -> {
          connectionContext = vertx.getOrCreateContext();
          ClientMetrics metrics = new GatewayMetrics().clients();
          ClientConnection client = new ClientConnection(new WebSocketClientSocket(vertx, socket, "k", 0, 0, metrics), "k", "s", BUDGET, metrics);
          client.start(vertx, message -> {
            // Stands for a ZMQ bridge that has not taken the message yet.
            Promise<Void> takenByZmq = Promise.promise();
            waitingForZmq.add(takenByZmq);
            return takenByZmq.future();
          }, () -> { });
        }))
        .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void readingPausesOverTheBudgetAndResumesWhenZmqTakesTheMessages() throws Exception {
    // Held in a variable: Vert.x closes a client that is no longer referenced.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(4 * BUDGET));
    WebSocket socket = client.connect(server.actualPort(), "127.0.0.1", "/").await(10, TimeUnit.SECONDS);
    String code = "x".repeat(MESSAGE_CHARS);
    for (int i = 0; i < MESSAGES; i++) {
      String frame = new JsonObject().put("channel", "shell")
          .put("header", new JsonObject().put("msg_id", "m" + i).put("msg_type", "execute_request"))
          .put("content", new JsonObject().put("code", code)).encode();
      socket.writeTextMessage(frame);
    }

    // Each message is a little over a quarter of the budget: the fourth one puts the client over it.
    awaitReceived(BUDGET / MESSAGE_CHARS);
    // A negative claim needs a window: with reading paused, no more than what Vert.x had already read arrives meanwhile.
    Thread.sleep(1_000);
    int readWhilePaused = waitingForZmq.size();
    assertThat(readWhilePaused).as("messages read while the kernel side holds more than the budget").isLessThan(MESSAGES / 2);

    // ZMQ takes what it holds, repeatedly, as the real bridge does: every message then arrives.
    while (waitingForZmq.size() < MESSAGES) {
      int before = waitingForZmq.size();
      // Completed on the connection's event loop, as the bus reply of the real bridge is.
      waitingForZmq.forEach(promise -> connectionContext.runOnContext(v -> promise.tryComplete()));
      awaitReceived(before + 1);
    }
    assertThat(waitingForZmq).hasSize(MESSAGES);
    client.close();
  }

  private void awaitReceived(int count) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (waitingForZmq.size() < count) {
      assertThat(System.currentTimeMillis()).as("%d client messages read in time (read: %d)", count, waitingForZmq.size())
          .isLessThan(deadline);
      Thread.sleep(10);
    }
  }
}
