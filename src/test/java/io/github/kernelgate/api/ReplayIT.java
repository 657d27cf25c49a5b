package io.github.kernelgate.api;

import static io.github.kernelgate.testsupport.KernelClient.isChild;
import static io.github.kernelgate.testsupport.KernelClient.type;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RawWebSocket;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client whose WebSocket drops mid-cell and comes back under the same session id gets what it
 * missed, in order, then live traffic: the lines printed meanwhile, the execute_reply and idle.
 */
class ReplayIT {

  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Six lines, one every half second: a drop of about a second falls in the middle. */
  private static final String SIX_LINES = "import time\nfor i in range(6):\n    print(f'line {i}', flush=True)\n    time.sleep(0.5)";
  private static final String ALL_LINES = IntStream.range(0, 6).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

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

  /** Verifies the replay after a clean close while no other client is connected, for legacy and v1 framing. */
  @Test
  void aCleanlyClosedSessionGetsTheRestOfTheCellWhenItReturns() throws Exception {
    for (boolean v1 : new boolean[] {false, true}) {
      String session = UUID.randomUUID().toString();
      KernelClient first = gateway.reconnect(kernelId, v1, session);
      String msgId = first.executeAsync(SIX_LINES);
      first.await(message -> isChild(message, msgId) && streamText(message).contains("line 0"), WAIT);
      first.close();
      // What the first client got is read once its close completed: lines written before the
      // gateway saw the close frame still reach it, and the gateway counts them delivered.
      first.awaitClose(WAIT);
      String before = stdoutOf(first, msgId);

      // The scenario: offline for about a second, with nobody else connected to see the time pass.
      Thread.sleep(1_200);
      try (KernelClient back = gateway.reconnect(kernelId, v1, session)) {
        KernelClient.Execution rest = back.awaitExecution(msgId, WAIT);
        assertThat(before + rest.stdout()).as(v1 ? "v1" : "legacy").isEqualTo(ALL_LINES);
        assertThat(rest.status()).isEqualTo("ok");
      }
    }
  }

  /** Verifies the replay after a TCP reset, while another client stays connected and sees everything live. */
  @Test
  void aResetConnectionGetsTheRestWhileAnotherClientStaysConnected() throws Exception {
    String session = UUID.randomUUID().toString();
    try (KernelClient observer = gateway.connect(kernelId); RawWebSocket dropped = RawWebSocket.connect(gateway.port(), kernelId, session, null)) {
      String msgId = dropped.execute(SIX_LINES);
      dropped.readUntil("line 0");
      dropped.reset();
      // Offline until two more lines were printed (the observer sees them).
      observer.await(message -> isChild(message, msgId) && streamText(message).contains("line 2"), WAIT);

      try (KernelClient back = gateway.reconnect(kernelId, false, session)) {
        KernelClient.Execution rest = back.awaitExecution(msgId, WAIT);
        assertThat(dropped.seen()).contains("line 0").doesNotContain("line 1");
        assertThat("line 0\n" + rest.stdout()).isEqualTo(ALL_LINES);
        assertThat(rest.status()).isEqualTo("ok");
      }
      observer.await(message -> isChild(message, msgId) && KernelClient.isStatus(message, "idle"), WAIT);
      assertThat(stdoutOf(observer, msgId)).as("the observer saw every line live").isEqualTo(ALL_LINES);
    }
  }

  /** Verifies that an input_request sent while the session was away reaches it on return, and the answer completes the cell. */
  @Test
  void anInputRequestMadeWhileAwayIsReplayedAndCanBeAnswered() throws Exception {
    String session = UUID.randomUUID().toString();
    KernelClient first = gateway.reconnect(kernelId, false, session);
    String msgId = first.executeAsync("import time\ntime.sleep(1)\nanswer = input('name? ')\nprint('hello', answer)");
    first.await(message -> isChild(message, msgId) && type(message).equals("execute_input"), WAIT);
    first.close();

    try (KernelClient observer = gateway.connect(kernelId)) {
      // Offline until the cell asked for input: its prompt is published as nothing on iopub, so wait out the sleep.
      Thread.sleep(2_000);
      try (KernelClient back = gateway.reconnect(kernelId, false, session)) {
        JsonObject request = back.await(message -> isChild(message, msgId) && type(message).equals("input_request"), WAIT);
        back.send("stdin", "input_reply", new JsonObject().put("value", "ada"), request.getJsonObject("header"));
        KernelClient.Execution done = back.awaitExecution(msgId, WAIT);
        assertThat(done.stdout()).isEqualTo("hello ada\n");
        assertThat(observer.received()).as("the input_request went only to the session that ran the cell")
            .noneMatch(message -> type(message).equals("input_request"));
      }
    }
  }

  /** Verifies that past the buffer's bound the oldest messages go and the newest, with the reply and idle, stay. */
  @Test
  void aFullBufferDropsTheOldest() throws Exception {
    try (RunningGateway small = RunningGateway.start(config -> config.with(Setting.REPLAY_BUFFER_BYTES, 16 * 1024))) {
      Http smallHttp = small.http();
      String smallKernel = smallHttp.startKernel("python3", RunningGateway.USER);
      try {
        String session = UUID.randomUUID().toString();
        KernelClient first = small.reconnect(smallKernel, false, session);
        String msgId = first.executeAsync("import time\ntime.sleep(0.5)\nfor i in range(40):\n    print(f'{i:03d}' + 'x' * 1000, flush=True)\n"
            + "    time.sleep(0.02)");
        first.await(message -> isChild(message, msgId) && type(message).equals("execute_input"), WAIT);
        first.close();
        try (KernelClient observer = small.connect(smallKernel)) {
          // The observer is another session: it sees the cell's iopub, not its reply.
          observer.await(message -> isChild(message, msgId) && KernelClient.isStatus(message, "idle"), WAIT);
          try (KernelClient back = small.reconnect(smallKernel, false, session)) {
            KernelClient.Execution rest = back.awaitExecution(msgId, WAIT);
            assertThat(rest.stdout()).as("the newest lines stay").contains("039x").doesNotContain("000x");
            assertThat(rest.stdout().length()).as("the buffer's bound holds").isLessThan(16 * 1024);
          }
        }
      } finally {
        smallHttp.delete("/api/kernels/" + smallKernel);
      }
    }
  }

  private static String streamText(JsonObject message) {
    return type(message).equals("stream") ? message.getJsonObject("content").getString("text") : "";
  }

  private static String stdoutOf(KernelClient client, String msgId) {
    return client.received().stream().filter(message -> isChild(message, msgId)).map(ReplayIT::streamText).collect(Collectors.joining());
  }
}
