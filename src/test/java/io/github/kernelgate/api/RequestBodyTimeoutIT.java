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

/** The request-body deadline: a half-sent body is cut off with a 408; a long answer is not. */
class RequestBodyTimeoutIT {

  private static final int BODY_SECONDS = 2;
  private static RunningGateway gateway;
  private static Http http;

  @BeforeAll
  static void startGateway() {
    gateway = RunningGateway.start(config -> config.with(Setting.REQUEST_BODY_TIMEOUT, BODY_SECONDS));
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

  /** Verifies that a start that takes longer than the idle limit still gets its answer. */
  @Test
  void aLongAnswerIsNotCutOff() {
    Http.Response slow = http.post("/api/kernels", new JsonObject().put("name", "never_answers").put("env", new JsonObject()
        .put("KERNEL_USERNAME", RunningGateway.USER).put("KERNEL_LAUNCH_TIMEOUT", String.valueOf(2 * BODY_SECONDS + 1))).encode());
    assertThat(slow.status()).isEqualTo(500);
    assertThat(slow.json().getString("message")).contains("launch timeout");
  }
}
