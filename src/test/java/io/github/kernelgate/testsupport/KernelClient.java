package io.github.kernelgate.testsupport;

import io.github.kernelgate.protocol.WireJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A Jupyter WebSocket client for tests, speaking the legacy JSON framing or the v1 subprotocol.
 * Every received message is kept (as JSON with its channel) so tests can wait for any of them.
 */
public final class KernelClient implements AutoCloseable {

  private static final String V1 = "v1.kernel.websocket.jupyter.org";
  private static final int UNLIMITED_FRAME = 256 * 1024 * 1024;

  /** What one execute_request produced. */
  public record Execution(JsonObject reply, List<JsonObject> iopub) {

    public String stdout() {
      return stream("stdout");
    }

    public String stream(String name) {
      StringBuilder text = new StringBuilder();
      iopub.stream().filter(message -> type(message).equals("stream"))
          .filter(message -> name.equals(message.getJsonObject("content").getString("name")))
          .forEach(message -> text.append(message.getJsonObject("content").getString("text")));
      return text.toString();
    }

    public String result() {
      return iopub.stream().filter(message -> type(message).equals("execute_result")).findFirst()
          .map(message -> message.getJsonObject("content").getJsonObject("data").getString("text/plain")).orElse(null);
    }

    public JsonObject first(String msgType) {
      return iopub.stream().filter(message -> type(message).equals(msgType)).findFirst().orElse(null);
    }

    public String status() {
      return reply.getJsonObject("content").getString("status");
    }
  }

  /** Held so it is not garbage-collected (Vert.x closes unreachable clients, connections and all). */
  private final WebSocketClient client;
  private final WebSocket socket;
  private final boolean v1;
  private final String session;
  private final List<JsonObject> received = new ArrayList<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();

  private KernelClient(WebSocketClient client, WebSocket socket, boolean v1, String session) {
    this.client = client;
    this.socket = socket;
    this.v1 = v1;
    this.session = session;
  }

  public static KernelClient connect(Vertx vertx, int port, String kernelId, boolean v1, String token) {
    return connect(vertx, port, kernelId, v1, token, UNLIMITED_FRAME);
  }

  /** A client that, like many, refuses frames over {@code maxFrameBytes} (and drops the connection on one). */
  public static KernelClient connect(Vertx vertx, int port, String kernelId, boolean v1, String token, int maxFrameBytes) {
    return connect(vertx, port, kernelId, v1, token, maxFrameBytes, UUID.randomUUID().toString());
  }

  /** A client of session {@code sessionId} (the WebSocket's session_id and its messages' header.session), as a reconnecting browser is. */
  public static KernelClient connect(Vertx vertx, int port, String kernelId, boolean v1, String token, int maxFrameBytes, String sessionId) {
    try {
      return open(vertx, port, "/api/kernels/" + kernelId + "/channels?session_id=" + sessionId
          + (token == null ? "" : "&token=" + token), v1, maxFrameBytes).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("websocket did not open: " + e.getMessage(), e);
    }
  }

  /** Opens a WebSocket on {@code uri}; handlers are installed on the event loop before any frame can arrive. */
  public static Future<KernelClient> open(Vertx vertx, int port, String uri, boolean v1) {
    return open(vertx, port, uri, v1, UNLIMITED_FRAME);
  }

  private static Future<KernelClient> open(Vertx vertx, int port, String uri, boolean v1, int maxFrameBytes) {
    // The frame limit applies both ways: with the default, every message goes out as one frame, however large, as browsers send them.
    WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(maxFrameBytes).setMaxMessageSize(256 * 1024 * 1024));
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri);
    if (v1) {
      options.addSubProtocol(V1);
    }
    return client.connect(options).onFailure(failed -> client.close()).map(socket -> {
      KernelClient kernel = new KernelClient(client, socket, v1, sessionOf(uri));
      socket.textMessageHandler(text -> kernel.keep(WireJson.object(text)));
      socket.binaryMessageHandler(data -> kernel.keep(v1 ? decodeV1(data) : decodeLegacyBinary(data)));
      socket.closeHandler(v -> {
        kernel.closed.complete(socket.closeStatusCode());
        kernel.wakeWaiters();
        client.close();
      });
      return kernel;
    });
  }

  private static String sessionOf(String uri) {
    int start = uri.indexOf("session_id=");
    if (start < 0) {
      return UUID.randomUUID().toString();
    }
    int end = uri.indexOf('&', start);
    return uri.substring(start + "session_id=".length(), end < 0 ? uri.length() : end);
  }

  public String session() {
    return session;
  }

  public String subProtocol() {
    return socket.subProtocol();
  }

  private synchronized void wakeWaiters() {
    notifyAll();
  }

  private synchronized void keep(JsonObject message) {
    received.add(message);
    notifyAll();
  }

  public synchronized List<JsonObject> received() {
    return new ArrayList<>(received);
  }

  /** Sends a message; answers its msg_id. */
  public String send(String channel, String msgType, JsonObject content) {
    return send(channel, msgType, content, new JsonObject());
  }

  /** Sends a message answering {@code parentHeader} (an input_reply, say); answers its msg_id. */
  public String send(String channel, String msgType, JsonObject content, JsonObject parentHeader) {
    String msgId = UUID.randomUUID().toString();
    JsonObject header = new JsonObject().put("msg_id", msgId).put("msg_type", msgType).put("session", session)
        .put("username", "tester").put("date", Instant.now().toString()).put("version", "5.3");
    if (v1) {
      socket.writeBinaryMessage(encodeV1(channel, header, parentHeader, content)).await();
    } else {
      socket.writeTextMessage(new JsonObject().put("header", header).put("parent_header", parentHeader)
          .put("metadata", new JsonObject()).put("content", content).put("channel", channel).encode()).await();
    }
    return msgId;
  }

  public void sendRawText(String text) {
    socket.writeTextMessage(text).await();
  }

  public void sendRawBinary(Buffer data) {
    socket.writeBinaryMessage(data).await();
  }

  public String executeAsync(String code) {
    return send("shell", "execute_request", new JsonObject().put("code", code).put("silent", false)
        .put("store_history", true).put("user_expressions", new JsonObject()).put("allow_stdin", true).put("stop_on_error", true));
  }

  public Execution execute(String code) {
    return awaitExecution(executeAsync(code), Duration.ofSeconds(60));
  }

  /**
   * Runs {@code code} right after a cell that failed: ipykernel aborts what arrives before its
   * next loop turn (see {@link #interruptSleep}), so an aborted run is tried again.
   */
  public Execution executeAfterAnError(String code) {
    Execution execution = execute(code);
    for (int attempt = 0; attempt < 10 && "aborted".equals(execution.status()); attempt++) {
      execution = execute(code);
    }
    return execution;
  }

  /**
   * Runs {@code time.sleep(60)}, interrupts it over REST once the cell's own code runs, and
   * answers that execution. "Runs" is the cell's first output, neither busy nor execute_input:
   * ipykernel ignores SIGINT until its request handler starts, and an interrupt that lands after
   * execute_input but before the cell's code is swallowed ("KeyboardInterrupt caught in kernel")
   * with no execute_reply at all. That window is widest on a kernel's first cells.
   *
   * <p>Even inside the sleep, about one SIGINT in a thousand (measured on ipykernel 6.17 here)
   * wakes another of the kernel's threads, and CPython runs its handler only when the main
   * thread's sleep ends, 60 s later; a second SIGINT then interrupts at once. So the interrupt is
   * sent again while the cell stays silent, as a user would press it again: each send is the
   * gateway's real interrupt path.
   */
  public Execution interruptSleep(Http http, String kernelId) {
    String sleeping = executeAsync("import time\nprint('sleeping', flush=True)\ntime.sleep(60)");
    await(message -> isChild(message, sleeping) && type(message).equals("stream")
        && message.getJsonObject("content").getString("text", "").contains("sleeping"), Duration.ofSeconds(30));
    Execution interrupted = null;
    for (int send = 1; interrupted == null; send++) {
      int status = http.post("/api/kernels/" + kernelId + "/interrupt", "").status();
      if (status != 204) {
        throw new AssertionError("interrupt answered " + status);
      }
      try {
        interrupted = awaitExecution(sleeping, Duration.ofSeconds(10));
      } catch (AssertionError stillSleeping) {
        if (send == 3) {
          throw stillSleeping;
        }
      }
    }
    // After an error, ipykernel aborts the requests that arrive until its next loop turn, which can
    // come after it published idle: a caller as fast as a test would see its next execute
    // "aborted". Wait until the kernel accepts requests again.
    for (int attempt = 0; attempt < 10 && "aborted".equals(execute("").status()); attempt++) {
      // The probe itself was aborted: the next one comes after the kernel's next turn.
    }
    return interrupted;
  }

  /** Waits until both the shell reply and the idle status of {@code msgId} have arrived. */
  public Execution awaitExecution(String msgId, Duration timeout) {
    JsonObject reply = await(message -> isChild(message, msgId) && "shell".equals(message.getString("channel")), timeout);
    await(message -> isChild(message, msgId) && type(message).equals("status")
        && "idle".equals(message.getJsonObject("content").getString("execution_state")), timeout);
    List<JsonObject> iopub = received().stream().filter(message -> isChild(message, msgId))
        .filter(message -> "iopub".equals(message.getString("channel"))).toList();
    return new Execution(reply, iopub);
  }

  /** The first received message (past or future) matching {@code predicate}. */
  public synchronized JsonObject await(Predicate<JsonObject> predicate, Duration timeout) {
    long deadline = System.currentTimeMillis() + timeout.toMillis();
    while (true) {
      for (JsonObject message : received) {
        if (predicate.test(message)) {
          return message;
        }
      }
      if (closed.isDone()) {
        throw new AssertionError("no matching message: the server closed the connection (code " + closed.getNow(null) + ") after "
            + received.size() + " messages");
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new AssertionError("no matching message within " + timeout + "; received " + received.size() + " messages: "
            + received.stream().map(message -> message.getString("channel") + "/" + type(message)).toList());
      }
      try {
        wait(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  public static boolean isChild(JsonObject message, String msgId) {
    JsonObject parent = message.getJsonObject("parent_header");
    return parent != null && msgId.equals(parent.getString("msg_id"));
  }

  public static String type(JsonObject message) {
    return message.getJsonObject("header").getString("msg_type");
  }

  /**
   * Whether {@code message} is a status the gateway itself sent this client (restarting, starting,
   * dead): those carry the client's session, while a kernel's own (its boot "starting") carry the kernel's.
   */
  public boolean isGatewayStatus(JsonObject message, String state) {
    return isStatus(message, state) && session.equals(message.getJsonObject("header").getString("session"));
  }

  public static boolean isStatus(JsonObject message, String state) {
    return type(message).equals("status") && state.equals(message.getJsonObject("content").getString("execution_state"));
  }

  /** The close status code once the server closed the socket, or null after the timeout. */
  public Short awaitClose(Duration timeout) {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception notClosed) {
      return null;
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      socket.close();
    }
  }

  private static Buffer encodeV1(String channel, JsonObject header, JsonObject parentHeader, JsonObject content) {
    List<byte[]> segments = List.of(channel.getBytes(StandardCharsets.UTF_8), header.encode().getBytes(StandardCharsets.UTF_8),
        parentHeader.encode().getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
        content.encode().getBytes(StandardCharsets.UTF_8));
    int offsets = segments.size() + 1;
    long offset = 8L * (offsets + 1);
    Buffer frame = Buffer.buffer().appendLongLE(offsets);
    for (byte[] segment : segments) {
      frame.appendLongLE(offset);
      offset += segment.length;
    }
    frame.appendLongLE(offset);
    segments.forEach(frame::appendBytes);
    return frame;
  }

  private static JsonObject decodeV1(Buffer frame) {
    int count = (int) frame.getLongLE(0);
    long[] offsets = new long[count];
    for (int i = 0; i < count; i++) {
      offsets[i] = frame.getLongLE(8 * (i + 1));
    }
    String channel = frame.getString((int) offsets[0], (int) offsets[1]);
    String[] names = {"header", "parent_header", "metadata", "content"};
    JsonObject message = new JsonObject().put("channel", channel);
    for (int i = 0; i < 4; i++) {
      message.put(names[i], WireJson.object(frame.getString((int) offsets[i + 1], (int) offsets[i + 2])));
    }
    return message.put("buffer_count", count - 6);
  }

  private static JsonObject decodeLegacyBinary(Buffer frame) {
    long parts = frame.getUnsignedInt(0);
    long start = frame.getUnsignedInt(4);
    long end = parts > 1 ? frame.getUnsignedInt(8) : frame.length();
    return WireJson.object(frame.getString((int) start, (int) end)).put("buffer_count", parts - 1);
  }
}
