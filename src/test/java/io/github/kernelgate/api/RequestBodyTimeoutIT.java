package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.Setting;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Request deadlines: a half-sent body is cut off with a 408, half-sent request lines and headers by the idle timeout; a long answer is not. */
class RequestBodyTimeoutIT {

  private static final int BODY_SECONDS = 2;
  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    // The idle timeout is never shorter than a default start (longest queue wait + launch + 10 s): keep those short here.
    gateway = RunningGateway.start(config -> config.with(Setting.REQUEST_BODY_TIMEOUT, BODY_SECONDS)
        .with(Setting.HTTP_IDLE_TIMEOUT, 1).with(Setting.LAUNCH_QUEUE_TIMEOUT, 1).with(Setting.KERNEL_LAUNCH_TIMEOUT, 1)
        .with(Setting.WS_PING_INTERVAL, 1));
    http = gateway.http();
  }

  @AfterAll
  static void stopGateway() throws Exception {
    gateway.close();
  }

  private static Socket open() throws Exception {
    Socket socket = new Socket("127.0.0.1", gateway.port());
    socket.setSoTimeout(30_000);
    return socket;
  }

  /** Verifies that a body that never completes is answered 408 in JSON and the connection closed. */
  @Test
  void aHalfSentBodyIs408() throws Exception {
    try (Socket socket = open(); InputStream in = socket.getInputStream()) {
      socket.getOutputStream().write(("POST /api/kernels HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          + "Content-Length: 100\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
      String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 408");
      assertThat(new JsonObject(answer.substring(answer.indexOf("\r\n\r\n") + 4)).getString("message")).contains("did not arrive");
    }
  }

  /** Verifies that a request whose line never ends is closed once the connection is idle (13 s here: 2 s of queue, 1 of launch, 10). */
  @Test
  void aHalfSentRequestLineIsClosed() throws Exception {
    try (Socket socket = open(); InputStream in = socket.getInputStream()) {
      socket.getOutputStream().write("GET /api/kern".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.read()).as("end of stream: the gateway closed the connection").isEqualTo(-1);
    }
  }

  /** Verifies that headers that never end are cut off the same way. */
  @Test
  void halfSentHeadersAreClosed() throws Exception {
    try (Socket socket = open(); InputStream in = socket.getInputStream()) {
      socket.getOutputStream().write("GET /api/kernels HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
      assertThat(in.read()).as("end of stream: the gateway closed the connection").isEqualTo(-1);
    }
  }

  /** Verifies that a start that takes longer than the idle limit still gets its answer. */
  @Test
  void aLongAnswerIsNotCutOff() {
    Http.Response slow = http.post("/api/kernels", new JsonObject().put("name", "never_answers").put("env", new JsonObject()
        .put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_LAUNCH_TIMEOUT", String.valueOf(2 * BODY_SECONDS + 1))).encode());
    assertThat(slow.status()).isEqualTo(500);
    assertThat(slow.json().getString("message")).contains("launch timeout");
  }
}
