package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * How a message is cut into fragments when frames are capped (KG_WS_FRAME_BYTES), on a real WebSocket: text
 * given as UTF-8 bytes, and bytes spliced from parts (protocol.SplicedFrame's large outputs).
 */
class OutgoingFramesTest {

  private static final String EMOJI = new String(Character.toChars(0x1F600));

  @Test
  void asciiIsCutAtTheByteLimit() {
    Buffer text = Buffer.buffer("abcdefghij");
    assertThat(OutgoingFrames.fragmentEnd(text, 0, 4)).isEqualTo(4);
    assertThat(OutgoingFrames.fragmentEnd(text, 8, 4)).isEqualTo(10);
  }

  @Test
  void aFragmentNeverEndsInsideACharacter() {
    Buffer text = Buffer.buffer(("y\u00e9\u20ac" + EMOJI).repeat(50));
    for (int limit = 4; limit < 40; limit++) {
      int start = 0;
      StringBuilder rebuilt = new StringBuilder();
      while (start < text.length()) {
        int end = OutgoingFrames.fragmentEnd(text, start, limit);
        assertThat(end - start).as("limit %d", limit).isLessThanOrEqualTo(limit);
        // Decoding each fragment alone gives whole characters, so no replacement character appears.
        rebuilt.append(text.getString(start, end, "UTF-8"));
        start = end;
      }
      assertThat(rebuilt.toString()).isEqualTo(text.toString());
    }
  }

  @Test
  void aCharacterLargerThanTheLimitStillMovesOn() {
    // A limit below one character's size cannot be met: the character goes alone rather than never.
    assertThat(OutgoingFrames.fragmentEnd(Buffer.buffer("\u20ac\u20ac"), 0, 2)).isEqualTo(3);
    assertThat(OutgoingFrames.fragmentEnd(Buffer.buffer(EMOJI + "a"), 0, 3)).isEqualTo(4);
  }

  @Test
  void aLargeTextMessageArrivesWholeInFragmentsWithinTheLimit() throws Exception {
    int limit = 100_000;
    String text = ("{\"text\": \"x\u00e9\u20ac" + EMOJI + "\"} ").repeat(20_000);
    List<WebSocketFrame> frames = receive(text, limit);
    assertThat(frames.get(0).type()).isEqualTo(WebSocketFrameType.TEXT);
    assertThat(frames.subList(1, frames.size())).allMatch(frame -> frame.type() == WebSocketFrameType.CONTINUATION);
    assertThat(frames).allMatch(frame -> frame.binaryData().length() <= limit);
    assertThat(frames.get(frames.size() - 1).isFinal()).isTrue();
    assertThat(frames.subList(0, frames.size() - 1)).noneMatch(WebSocketFrame::isFinal);
    Buffer whole = Buffer.buffer();
    frames.forEach(frame -> whole.appendBuffer(frame.binaryData()));
    assertThat(whole.toString(StandardCharsets.UTF_8)).isEqualTo(text);
  }

  @Test
  void aSmallTextMessageIsOneFrame() throws Exception {
    List<WebSocketFrame> frames = receive("{\"small\": \"\u00e9\"}", 100_000);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).isFinal()).isTrue();
    assertThat(frames.get(0).type()).isEqualTo(WebSocketFrameType.TEXT);
    assertThat(frames.get(0).textData()).isEqualTo("{\"small\": \"\u00e9\"}");
  }

  @Test
  void withoutALimitALargeTextMessageIsOneFrame() throws Exception {
    String text = "\u20ac".repeat(400_000);
    List<WebSocketFrame> frames = receive(text, 0);
    assertThat(frames).hasSize(1);
    assertThat(frames.get(0).type()).isEqualTo(WebSocketFrameType.TEXT);
    assertThat(frames.get(0).textData()).isEqualTo(text);
  }

  @Test
  void aPayloadSplicedFromPartsArrivesWholeAcrossFragmentBoundaries() throws Exception {
    // Like a large output between small JSON pieces (protocol.SplicedFrame): heap parts, referenced.
    byte[] head = "{\"head\": 1}".getBytes(StandardCharsets.US_ASCII);
    byte[] body = new byte[300_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) (i * 31);
    }
    byte[] tail = "{\"tail\": 2}".getBytes(StandardCharsets.US_ASCII);
    Buffer whole = Buffer.buffer().appendBytes(head).appendBytes(body).appendBytes(tail);
    for (int limit : new int[] {0, 100_000}) {
      List<WebSocketFrame> frames = receive(outgoing -> outgoing.binary(spliced(head, body, tail)), limit, whole.length());
      Buffer received = Buffer.buffer();
      frames.forEach(frame -> received.appendBuffer(frame.binaryData()));
      assertThat(received).as("frame limit %d", limit).isEqualTo(whole);
      assertThat(frames).as("frame limit %d", limit).hasSize(limit == 0 ? 1 : 4);
    }
  }

  private static Buffer spliced(byte[]... parts) {
    return BufferInternal.buffer(Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(parts)));
  }

  private static List<WebSocketFrame> receive(String text, int maxFrameBytes) throws Exception {
    return receive(outgoing -> outgoing.text(Buffer.buffer(text)), maxFrameBytes, 4 * text.length());
  }

  /** Sends through {@link OutgoingFrames} on a real server socket; answers the frames a client read. */
  private static List<WebSocketFrame> receive(Function<OutgoingFrames, Future<Void>> send, int maxFrameBytes,
      int messageBytes) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpServer server = vertx.createHttpServer(new HttpServerOptions())
          .webSocketHandler(socket -> send.apply(new OutgoingFrames(socket, maxFrameBytes)))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxFrameSize(maxFrameBytes > 0 ? maxFrameBytes : 4 * messageBytes)
          .setMaxMessageSize(4 * messageBytes));
      List<WebSocketFrame> frames = new CopyOnWriteArrayList<>();
      CompletableFuture<Void> last = new CompletableFuture<>();
      // The handler is set on the event loop as the socket opens: the server writes at once.
      WebSocket socket = client.connect(server.actualPort(), "127.0.0.1", "/").map(opened -> opened.frameHandler(frame -> {
        if (frame.isText() || frame.isBinary() || frame.isContinuation()) {
          frames.add(frame);
          if (frame.isFinal()) {
            last.complete(null);
          }
        }
      })).await(10, TimeUnit.SECONDS);
      last.get(30, TimeUnit.SECONDS);
      assertThat(socket.isClosed()).isFalse();
      return List.copyOf(frames);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
