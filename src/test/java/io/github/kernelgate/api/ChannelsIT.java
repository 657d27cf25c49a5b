package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.PrometheusText;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket channels of one real ipykernel, with legacy and v1 framing and several clients. */
class ChannelsIT {

  private static RunningGateway gateway;
  private static Http http;
  private static String kernelId;

  @BeforeAll
  static void startKernel() {
    gateway = RunningGateway.start();
    http = gateway.http();
    kernelId = http.startKernel("python3", RunningGateway.USER);
  }

  @AfterAll
  static void stop() throws Exception {
    http.delete("/api/kernels/" + kernelId);
    gateway.close();
  }

  @Test
  void executeStreamsOutputAndResult() {
    try (KernelClient client = gateway.connect(kernelId)) {
      KernelClient.Execution run = client.execute("print('hello'); 6 * 7");
      assertThat(run.status()).isEqualTo("ok");
      assertThat(run.stdout()).isEqualTo("hello\n");
      assertThat(run.result()).isEqualTo("42");
      assertThat(run.reply().getString("msg_type")).isEqualTo("execute_reply");
      assertThat(run.reply().getString("channel")).isEqualTo("shell");
      assertThat(run.iopub()).anyMatch(message -> KernelClient.isStatus(message, "busy"));
    }
  }

  @Test
  void errorsAreReportedOnIopubAndInTheReply() {
    try (KernelClient client = gateway.connect(kernelId)) {
      KernelClient.Execution run = client.execute("1 / 0");
      assertThat(run.status()).isEqualTo("error");
      assertThat(run.first("error").getJsonObject("content").getString("ename")).isEqualTo("ZeroDivisionError");
    }
  }

  @Test
  void displayDataReachesTheClient() {
    try (KernelClient client = gateway.connect(kernelId)) {
      KernelClient.Execution run = client.execute("from IPython.display import display, HTML\ndisplay(HTML('<b>bold</b>'))");
      JsonObject display = run.first("display_data");
      assertThat(display.getJsonObject("content").getJsonObject("data").getString("text/html")).isEqualTo("<b>bold</b>");
    }
  }

  @Test
  void inputRequestIsAnsweredOverStdin() {
    try (KernelClient client = gateway.connect(kernelId)) {
      String msgId = client.executeAsync("name = input('who? ')\nprint('hi', name)");
      JsonObject request = client.await(message -> KernelClient.type(message).equals("input_request"), Duration.ofSeconds(30));
      assertThat(request.getString("channel")).isEqualTo("stdin");
      assertThat(request.getJsonObject("content").getString("prompt")).isEqualTo("who? ");
      client.send("stdin", "input_reply", new JsonObject().put("value", "ada"), request.getJsonObject("header"));
      KernelClient.Execution run = client.awaitExecution(msgId, Duration.ofSeconds(30));
      assertThat(run.stdout()).isEqualTo("hi ada\n");
    }
  }

  @Test
  void twoClientsShareIopubButRepliesGoToTheAsker() {
    try (KernelClient asker = gateway.connect(kernelId); KernelClient watcher = gateway.connect(kernelId)) {
      assertThat(http.get("/api/kernels/" + kernelId).json().getInteger("connections")).isGreaterThanOrEqualTo(2);
      String msgId = asker.executeAsync("print('shared output')");
      asker.awaitExecution(msgId, Duration.ofSeconds(30));
      JsonObject seen = watcher.await(message -> KernelClient.isChild(message, msgId) && KernelClient.type(message).equals("stream"),
          Duration.ofSeconds(10));
      assertThat(seen.getJsonObject("content").getString("text")).isEqualTo("shared output\n");
      watcher.await(message -> KernelClient.isChild(message, msgId) && KernelClient.isStatus(message, "idle"), Duration.ofSeconds(10));
      assertThat(watcher.received()).noneMatch(message -> KernelClient.isChild(message, msgId) && "shell".equals(message.getString("channel")));
    }
  }

  @Test
  void inputRequestGoesOnlyToTheClientThatAsked() {
    try (KernelClient asker = gateway.connect(kernelId); KernelClient other = gateway.connect(kernelId)) {
      String msgId = asker.executeAsync("answer = input('value? ')");
      JsonObject request = asker.await(message -> KernelClient.type(message).equals("input_request"), Duration.ofSeconds(30));
      asker.send("stdin", "input_reply", new JsonObject().put("value", "7"), request.getJsonObject("header"));
      asker.awaitExecution(msgId, Duration.ofSeconds(30));
      other.await(message -> KernelClient.isChild(message, msgId) && KernelClient.isStatus(message, "idle"), Duration.ofSeconds(10));
      assertThat(other.received()).noneMatch(message -> KernelClient.type(message).equals("input_request"));
    }
  }

  @Test
  void v1SubprotocolRoundTrip() {
    try (KernelClient client = gateway.connectV1(kernelId)) {
      assertThat(client.subProtocol()).isEqualTo("v1.kernel.websocket.jupyter.org");
      String infoId = client.send("shell", "kernel_info_request", new JsonObject());
      JsonObject info = client.await(message -> KernelClient.isChild(message, infoId) && "shell".equals(message.getString("channel")),
          Duration.ofSeconds(30));
      assertThat(KernelClient.type(info)).isEqualTo("kernel_info_reply");
      assertThat(info.getJsonObject("content").getString("protocol_version")).startsWith("5.");
      KernelClient.Execution run = client.execute("print('over v1')");
      assertThat(run.stdout()).isEqualTo("over v1\n");
    }
  }

  @Test
  void legacyBinaryFramesFromClientsAreAccepted() {
    try (KernelClient client = gateway.connect(kernelId)) {
      JsonObject message = new JsonObject()
          .put("header", new JsonObject().put("msg_id", "binary-frame-1").put("msg_type", "execute_request")
              .put("session", "s").put("username", "u").put("date", "2026-01-01T00:00:00Z").put("version", "5.3"))
          .put("parent_header", new JsonObject()).put("metadata", new JsonObject()).put("channel", "shell")
          .put("content", new JsonObject().put("code", "print('binary')").put("silent", false));
      byte[] json = message.encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      client.sendRawBinary(Buffer.buffer().appendInt(1).appendInt(8).appendBytes(json));
      KernelClient.Execution run = client.awaitExecution("binary-frame-1", Duration.ofSeconds(30));
      assertThat(run.stdout()).isEqualTo("binary\n");
    }
  }

  /** Verifies that a 5 MB execute_request in one WebSocket frame (as browsers send it) is answered, in both framings. */
  @Test
  void fiveMegabyteSingleFrameExecuteIsAnswered() {
    String code = "payload = '" + "x".repeat(5 * 1024 * 1024) + "'\nlen(payload)";
    try (KernelClient legacy = gateway.connect(kernelId); KernelClient v1 = gateway.connectV1(kernelId)) {
      assertThat(legacy.execute(code).result()).isEqualTo(String.valueOf(5 * 1024 * 1024));
      assertThat(v1.execute(code).result()).isEqualTo(String.valueOf(5 * 1024 * 1024));
      assertThat(legacy.isClosed()).isFalse();
    }
  }

  /** With KG_WS_FRAME_BYTES, large messages go out in frames of at most that size, which clients with that frame limit accept. */
  @Test
  void largeOutputReachesAClientThatRefusesFramesOverTheConfiguredSize() throws Exception {
    try (RunningGateway limited = RunningGateway.start(config -> config.with(Setting.WS_FRAME_BYTES, 1024 * 1024))) {
      String limitedKernel = limited.http().startKernel("python3", RunningGateway.USER);
      String unit = "y\u00e9\u20ac" + new String(Character.toChars(0x1F600));
      for (boolean v1 : new boolean[] {false, true}) {
        try (KernelClient client = KernelClient.connect(limited.vertx(), limited.port(), limitedKernel, v1, null, 1024 * 1024)) {
          // Characters of 1 to 4 UTF-8 bytes: a text fragment is cut by its UTF-8 size, never inside a character.
          String stdout = client.execute("print('y\\u00e9\\u20ac\\U0001F600' * (1024 * 1024))").stdout();
          assertThat(stdout.equals(unit.repeat(1024 * 1024) + "\n")).as(v1 ? "v1" : "legacy").isTrue();
          assertThat(client.isClosed()).isFalse();
        }
      }
      limited.http().delete("/api/kernels/" + limitedKernel);
    }
  }

  /** By default a message of up to 16 MiB goes out as one frame: clients that rebuild fragments by concatenation pay nothing. */
  @Test
  void aMultiMebibyteOutputArrivesAsOneFrameByDefault() throws Exception {
    for (boolean v1 : new boolean[] {false, true}) {
      WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(gateway.port())
          .setURI("/api/kernels/" + kernelId + "/channels?session_id=" + UUID.randomUUID());
      if (v1) {
        options.addSubProtocol("v1.kernel.websocket.jupyter.org");
      }
      WebSocket watcher = gateway.vertx().createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(64 * 1024 * 1024)
          .setMaxMessageSize(64 * 1024 * 1024)).connect(options).await(30, TimeUnit.SECONDS);
      CompletableFuture<Integer> framesOfTheLargeMessage = new CompletableFuture<>();
      int[] framesAndBytes = new int[2];
      // What the watcher got, message by message (frames x bytes), for a failure to say.
      List<String> received = Collections.synchronizedList(new ArrayList<>());
      watcher.frameHandler(frame -> {
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
          framesAndBytes[0]++;
          framesAndBytes[1] += frame.binaryData().length();
          if (frame.isFinal()) {
            received.add(framesAndBytes[0] + "x" + framesAndBytes[1]);
            if (framesAndBytes[1] > 3 * 1024 * 1024) {
              framesOfTheLargeMessage.complete(framesAndBytes[0]);
            }
            framesAndBytes[0] = 0;
            framesAndBytes[1] = 0;
          }
        }
      });
      int runnerStdout;
      try (KernelClient runner = v1 ? gateway.connectV1(kernelId) : gateway.connect(kernelId)) {
        runnerStdout = runner.execute("print('z' * (3 * 1024 * 1024 + 7))").stdout().length();
      }
      int frames;
      try {
        frames = framesOfTheLargeMessage.get(60, TimeUnit.SECONDS);
      } catch (TimeoutException never) {
        throw new AssertionError((v1 ? "v1" : "legacy") + ": no message over 3 MiB reached the watcher in 60 s; it got "
            + received + " (frames x bytes); the runner's stdout held " + runnerStdout + " characters", never);
      }
      assertThat(frames).as(v1 ? "v1" : "legacy").isEqualTo(1);
      watcher.close();
    }
  }

  @Test
  void largeOutputArrivesWhole() {
    try (KernelClient client = gateway.connect(kernelId)) {
      KernelClient.Execution run = client.execute("print('x' * (3 * 1024 * 1024))");
      assertThat(run.stdout()).hasSize(3 * 1024 * 1024 + 1);
    }
  }

  /**
   * A large output fanned out to several clients is framed once per framing and shared by their
   * writes (MessageFrames): each client, legacy or v1, still reads all of it, in order.
   */
  @Test
  void aLargeOutputReachesEveryClientWholeInEitherFraming() {
    PatternedOutput output = PatternedOutput.of(3 * 1024 * 1024 + 5, true);
    try (KernelClient asker = gateway.connect(kernelId); KernelClient legacyWatcher = gateway.connect(kernelId);
        KernelClient v1Watcher = gateway.connectV1(kernelId)) {
      String msgId = asker.executeAsync(output.code());
      asker.awaitExecution(msgId, Duration.ofSeconds(60));
      for (KernelClient client : List.of(asker, legacyWatcher, v1Watcher)) {
        output.assertIsWhole(stdoutSeenBy(client, msgId));
      }
    }
  }

  /** A cell printing {@code length} digits in order (every 1000th an é if {@code accents}), and what it prints. */
  private record PatternedOutput(String code, String expected) {

    static PatternedOutput of(int length, boolean accents) {
      String accent = accents ? " if i % 1000 else '\u00e9'" : "";
      StringBuilder expected = new StringBuilder(length + 1);
      for (int i = 0; i < length; i++) {
        expected.append(accents && i % 1000 == 0 ? '\u00e9' : (char) ('0' + i % 10));
      }
      return new PatternedOutput("print(''.join(chr(48 + i % 10)" + accent + " for i in range(" + length + ")))",
          expected.append('\n').toString());
    }

    /** Compared by first difference: a failure message must not print megabytes. */
    void assertIsWhole(String stdout) {
      assertThat(java.util.Arrays.mismatch(stdout.toCharArray(), expected.toCharArray()))
          .as("index of the first differing character").isEqualTo(-1);
    }
  }

  private static String stdoutSeenBy(KernelClient client, String msgId) {
    client.await(message -> KernelClient.isChild(message, msgId) && KernelClient.isStatus(message, "idle"), Duration.ofSeconds(60));
    return client.received().stream()
        .filter(message -> KernelClient.isChild(message, msgId) && KernelClient.type(message).equals("stream"))
        .map(message -> message.getJsonObject("content").getString("text")).collect(java.util.stream.Collectors.joining());
  }

  @Test
  void largeOutputArrivesWholeAndInOrderOverV1() {
    // Over v1 large parts travel referenced, not copied, and are cut into 1 MiB WebSocket frames.
    PatternedOutput output = PatternedOutput.of(3 * 1024 * 1024 + 5, false);
    try (KernelClient client = gateway.connectV1(kernelId)) {
      output.assertIsWhole(client.execute(output.code()).stdout());
    }
  }

  /**
   * Verifies that an unreadable frame is dropped and the socket keeps working (Jupyter Server's
   * gateway client forwards binary frames as text), in every framing.
   */
  @Test
  void anUnreadableFrameIsDroppedAndTheSocketStays() {
    String[] garbage = {"not json at all", "[1, 2, 3]", "{\"header\": 5}", "{\"header\": {}, \"channel\": \"shell\"}",
        "{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"x\"}, \"channel\": \"iopub\"}"};
    try (KernelClient legacy = gateway.connect(kernelId); KernelClient v1 = gateway.connectV1(kernelId)) {
      for (String frame : garbage) {
        legacy.sendRawText(frame);
        assertThat(legacy.execute("'after " + frame.length() + "'").result()).isEqualTo("'after " + frame.length() + "'");
      }
      legacy.sendRawBinary(Buffer.buffer(new byte[] {0, 0, 0, 9, 1, 2}));
      v1.sendRawText("{\"header\": {}}");
      v1.sendRawBinary(Buffer.buffer().appendLongLE(1000).appendLongLE(3));
      assertThat(legacy.execute("'legacy still serving'").result()).isEqualTo("'legacy still serving'");
      assertThat(v1.execute("'v1 still serving'").result()).isEqualTo("'v1 still serving'");
      assertThat(legacy.isClosed() || v1.isClosed()).isFalse();
    }
  }

  /** Verifies that a client sending nothing but garbage is closed with 1007, and only that client. */
  @Test
  void aClientSendingOnlyGarbageIsClosed() {
    double closedBefore = new PrometheusText(gateway.http().get("/metrics").body()).sum("kernelgate_websocket_closes_total", "code", "1007");
    KernelClient legacy = gateway.connect(kernelId);
    KernelClient v1 = gateway.connectV1(kernelId);
    for (int i = 0; i < 10; i++) {
      legacy.sendRawText("garbage " + i);
      v1.sendRawBinary(Buffer.buffer().appendLongLE(1000).appendLongLE(i));
    }
    assertThat(legacy.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1007);
    assertThat(v1.awaitClose(Duration.ofSeconds(10))).isEqualTo((short) 1007);
    assertThat(new PrometheusText(gateway.http().get("/metrics").body()).sum("kernelgate_websocket_closes_total", "code", "1007"))
        .as("counted").isEqualTo(closedBefore + 2);
    try (KernelClient healthy = gateway.connect(kernelId)) {
      assertThat(healthy.execute("'still serving'").result()).isEqualTo("'still serving'");
    }
  }

  @Test
  void unknownKernelRefusesTheUpgradeWith404() {
    assertThatThrownBy(() -> KernelClient.open(gateway.vertx(), gateway.port(),
        "/api/kernels/00000000-0000-4000-8000-000000000000/channels", false).await(10, TimeUnit.SECONDS))
        .hasMessageContaining("404");
  }
}
