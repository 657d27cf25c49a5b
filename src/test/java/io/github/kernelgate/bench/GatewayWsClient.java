package io.github.kernelgate.bench;

import io.github.kernelgate.protocol.HeaderFields;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean Jupyter WebSocket client for measurements: it tracks only what a request needs (its
 * reply, its idle status, the bytes of its stream output) and keeps no history. Legacy JSON or
 * v1 framing; v1 frames are read without parsing message bodies, as the direct client does.
 */
final class GatewayWsClient implements AutoCloseable {

  /** What one request is waiting for. */
  private static final class Pending {
    final boolean needsReply;
    final CompletableFuture<Long> done = new CompletableFuture<>();
    final AtomicLong streamBytes = new AtomicLong();
    volatile boolean replied;
    volatile boolean idle;

    Pending(boolean needsReply) {
      this.needsReply = needsReply;
    }

    void check() {
      if (idle && (replied || !needsReply)) {
        done.complete(streamBytes.get());
      }
    }
  }

  private final WebSocketClient client;
  private final WebSocket socket;
  private final boolean v1;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  /** The v1 message whose frames are arriving (frames come in order on the socket's context). */
  private IncomingV1 incoming;

  private GatewayWsClient(WebSocketClient client, WebSocket socket, boolean v1) {
    this.client = client;
    this.socket = socket;
    this.v1 = v1;
  }

  static GatewayWsClient connect(Vertx vertx, int port, String kernelId, boolean v1) throws Exception {
    return connect(vertx, port, kernelId, v1, UUID.randomUUID().toString(), null);
  }

  /**
   * A client of session {@code sessionId}; with {@code awaitedMsgId}, the reply and idle of that
   * request are awaited from the first frame on (a returning session gets them replayed at once).
   */
  static GatewayWsClient connect(Vertx vertx, int port, String kernelId, boolean v1, String sessionId, String awaitedMsgId)
      throws Exception {
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setTcpNoDelay(true)
        .setMaxFrameSize(512 * 1024 * 1024).setMaxMessageSize(512 * 1024 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI("/api/kernels/" + kernelId + "/channels?session_id=" + sessionId);
    if (v1) {
      options.addSubProtocol("v1.kernel.websocket.jupyter.org");
    }
    return client.connect(options).map(socket -> {
      GatewayWsClient gateway = new GatewayWsClient(client, socket, v1);
      if (awaitedMsgId != null) {
        gateway.pending.put(awaitedMsgId, new Pending(true));
      }
      if (v1) {
        socket.frameHandler(gateway::onV1Frame);
      } else {
        socket.frameHandler(gateway::onLegacyFrame);
      }
      return gateway;
    }).await(30, TimeUnit.SECONDS);
  }

  /** The text message being read (legacy framing), fragment by fragment. */
  private Buffer legacyText;
  /** Time this client spent decoding legacy JSON messages (UTF-8 and Jackson): the client's own cost. */
  final AtomicLong legacyDecodeNanos = new AtomicLong();

  /** Legacy text messages are put together here rather than by Vert.x, so their decoding can be timed. */
  private void onLegacyFrame(WebSocketFrame frame) {
    if (frame.type() == WebSocketFrameType.TEXT) {
      legacyText = Buffer.buffer();
    } else if (frame.type() != WebSocketFrameType.CONTINUATION || legacyText == null) {
      return;
    }
    legacyText.appendBuffer(frame.binaryData());
    if (frame.isFinal()) {
      Buffer complete = legacyText;
      legacyText = null;
      long start = System.nanoTime();
      onLegacy(complete.toString(StandardCharsets.UTF_8));
      legacyDecodeNanos.addAndGet(System.nanoTime() - start);
    }
  }

  private void onLegacy(String text) {
    JsonObject message = new JsonObject(text);
    String parent = message.getJsonObject("parent_header").getString("msg_id");
    Pending waiting = parent == null ? null : pending.get(parent);
    if (waiting != null) {
      String type = message.getString("msg_type");
      JsonObject content = message.getJsonObject("content");
      account(waiting, message.getString("channel"), type, content.getString("execution_state"),
          "stream".equals(type) ? content.getString("text").length() : 0);
    }
  }

  /**
   * v1 messages are read frame by frame, as a streaming client would: only the leading parts
   * are kept (offsets, channel, header, parent; the content too for a status message), the
   * rest is counted as it passes, so a 50 MB output is not reassembled here.
   */
  private void onV1Frame(WebSocketFrame frame) {
    if (frame.type() != WebSocketFrameType.BINARY && frame.type() != WebSocketFrameType.CONTINUATION) {
      return;
    }
    if (incoming == null) {
      incoming = new IncomingV1();
    }
    incoming.add(frame.binaryData());
    if (frame.isFinal()) {
      IncomingV1 complete = incoming;
      incoming = null;
      complete.finish();
    }
  }

  /** The leading bytes of one v1 message, kept until what the accounting reads is in. */
  private final class IncomingV1 {
    private final Buffer head = Buffer.buffer();
    private boolean complete;

    void add(Buffer data) {
      if (!complete) {
        head.appendBuffer(data);
        complete = readable();
      }
    }

    /** True once offsets, channel, header and parent are in, and the content too for status. */
    private boolean readable() {
      if (head.length() < 8 || head.length() < 8 * (head.getLongLE(0) + 1)) {
        return false;
      }
      long parentEnd = offset(3);
      return head.length() >= parentEnd && (!"status".equals(type()) || head.length() >= offset(5));
    }

    private long offset(int index) {
      return head.getLongLE(8 * (index + 1));
    }

    private String type() {
      return HeaderFields.read(head.getBytes((int) offset(1), (int) offset(2)), "msg_type");
    }

    void finish() {
      String parent = HeaderFields.read(head.getBytes((int) offset(2), (int) offset(3)), "msg_id");
      Pending waiting = parent == null ? null : pending.get(parent);
      if (waiting != null) {
        String type = type();
        boolean status = "status".equals(type);
        account(waiting, head.getString((int) offset(0), (int) offset(1)), type,
            status ? HeaderFields.read(head.getBytes((int) offset(4), (int) offset(5)), "execution_state") : null,
            "stream".equals(type) ? offset(5) - offset(4) : 0);
      }
    }
  }

  private static void account(Pending waiting, String channel, String type, String state, long streamBytes) {
    if ("shell".equals(channel)) {
      waiting.replied = true;
    } else if ("status".equals(type) && "idle".equals(state)) {
      waiting.idle = true;
    } else if (streamBytes > 0) {
      waiting.streamBytes.addAndGet(streamBytes);
    }
    waiting.check();
  }

  /** Waits for another client's request to finish here too (fan-out): its idle status must arrive. */
  CompletableFuture<Long> watch(String msgId) {
    return pending.computeIfAbsent(msgId, id -> new Pending(false)).done;
  }

  /** The bytes of stream output of a request awaited since {@link #connect}, once its reply and idle arrived. */
  long awaited(String msgId, long timeoutMillis) throws Exception {
    try {
      return pending.get(msgId).done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } finally {
      pending.remove(msgId);
    }
  }

  /** Sends an execute_request and does not wait for anything. */
  void executeAndLeave(String code, String msgId) {
    send("execute_request", new JsonObject().put("code", code).put("silent", false).put("store_history", false)
        .put("user_expressions", new JsonObject()).put("allow_stdin", false), msgId);
  }

  /** Executes {@code code}; answers the bytes of stream output once reply and idle arrived. */
  long execute(String code, String msgId, long timeoutMillis) throws Exception {
    return request("execute_request", new JsonObject().put("code", code).put("silent", false).put("store_history", false)
        .put("user_expressions", new JsonObject()).put("allow_stdin", false), msgId, timeoutMillis);
  }

  /** Asks for kernel_info and waits for the reply and the idle status (what the direct client's readiness waits for). */
  void kernelInfo(String msgId, long timeoutMillis) throws Exception {
    request("kernel_info_request", new JsonObject(), msgId, timeoutMillis);
  }

  private long request(String msgType, JsonObject content, String msgId, long timeoutMillis) throws Exception {
    Pending waiting = new Pending(true);
    pending.put(msgId, waiting);
    send(msgType, content, msgId);
    try {
      return waiting.done.get(timeoutMillis, TimeUnit.MILLISECONDS);
    } finally {
      pending.remove(msgId);
    }
  }

  private void send(String msgType, JsonObject content, String msgId) {
    JsonObject header = new JsonObject().put("msg_id", msgId).put("msg_type", msgType).put("session", "bench")
        .put("username", "bench").put("date", Instant.now().toString()).put("version", "5.3");
    if (v1) {
      socket.writeBinaryMessage(v1Frame(header, content));
    } else {
      socket.writeTextMessage(new JsonObject().put("header", header).put("parent_header", new JsonObject())
          .put("metadata", new JsonObject()).put("content", content).put("channel", "shell").encode());
    }
  }

  private static Buffer v1Frame(JsonObject header, JsonObject content) {
    byte[][] parts = {"shell".getBytes(StandardCharsets.US_ASCII), header.encode().getBytes(StandardCharsets.UTF_8),
        "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), content.encode().getBytes(StandardCharsets.UTF_8)};
    long offset = 8L * (parts.length + 2);
    Buffer frame = Buffer.buffer().appendLongLE(parts.length + 1);
    for (byte[] part : parts) {
      frame.appendLongLE(offset);
      offset += part.length;
    }
    frame.appendLongLE(offset);
    for (byte[] part : parts) {
      frame.appendBytes(part);
    }
    return frame;
  }

  @Override
  public void close() {
    socket.close();
    client.close();
  }
}
