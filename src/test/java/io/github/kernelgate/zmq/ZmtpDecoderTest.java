package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decoder fed as TCP may cut a stream: every split point gives the same frames, and protocol breaks are named. */
class ZmtpDecoderTest {

  private final List<List<byte[]>> messages = new ArrayList<>();
  private final List<String> events = new ArrayList<>();
  private final List<Long> arrivals = new ArrayList<>();
  private final ZmtpDecoder decoder = new ZmtpDecoder(new ZmtpDecoder.Listener() {
    @Override
    public void greeted() {
      events.add("greeted");
    }

    @Override
    public void ready() {
      events.add("ready");
    }

    @Override
    public void message(List<byte[]> frames, long arrivedNanos) {
      messages.add(frames);
      arrivals.add(arrivedNanos);
    }
  });

  @Test
  void aStreamCutAtAnyPointGivesTheSameMessages() throws Exception {
    byte[] long1 = new byte[300];
    long1[299] = 42;
    List<byte[]> first = List.of("a".getBytes(StandardCharsets.US_ASCII), new byte[0], long1);
    List<byte[]> second = List.of("only".getBytes(StandardCharsets.US_ASCII));
    Buffer stream = ZmtpWire.greeting().appendBuffer(ZmtpWire.ready(ZmtpWire.SocketType.DEALER, "id".getBytes()))
        .appendBuffer(ZmtpWire.message(first)).appendBuffer(ZmtpWire.message(second));
    for (int cut = 1; cut < stream.length(); cut += 1) {
      ZmtpDecoderTest fresh = new ZmtpDecoderTest();
      fresh.decoder.feed(stream.getBuffer(0, cut));
      fresh.decoder.feed(stream.getBuffer(cut, stream.length()));
      assertThat(fresh.events).as("cut at %d", cut).containsExactly("greeted", "ready");
      assertThat(fresh.messages).as("cut at %d", cut).hasSize(2);
      assertThat(fresh.messages.get(0)).containsExactlyElementsOf(first);
      assertThat(fresh.messages.get(1)).containsExactlyElementsOf(second);
    }
    // And byte by byte.
    for (int i = 0; i < stream.length(); i++) {
      decoder.feed(stream.getBuffer(i, i + 1));
    }
    assertThat(messages).hasSize(2);
    assertThat(messages.get(0).get(2)).isEqualTo(long1);
  }

  /** A message's arrival is when its first byte was read, not its last: the gateway's hold is timed from there. */
  @Test
  void aMessageArrivesWithItsFirstByte() throws Exception {
    Buffer handshake = ZmtpWire.greeting().appendBuffer(ZmtpWire.ready(ZmtpWire.SocketType.SUB, null));
    Buffer message = ZmtpWire.message(List.of("topic".getBytes(StandardCharsets.US_ASCII), new byte[100_000]));
    decoder.feed(handshake);
    long before = System.nanoTime();
    decoder.feed(message.getBuffer(0, 1_000));
    long between = System.nanoTime();
    decoder.feed(message.getBuffer(1_000, message.length()));
    assertThat(messages).hasSize(1);
    assertThat(arrivals.get(0)).isBetween(before, between);
  }

  @Test
  void aPeerWithoutTheSignatureIsRefused() {
    Buffer http = Buffer.buffer("GET / HTTP/1.1\r\nHost: x\r\n\r\n" + "x".repeat(64));
    assertThatThrownBy(() -> decoder.feed(http)).isInstanceOf(ZmtpException.class).hasMessageContaining("ZMTP 3");
  }

  @Test
  void aPeerAskingForCurveIsRefused() {
    Buffer greeting = ZmtpWire.greeting();
    greeting.setBytes(12, "CURVE".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> decoder.feed(greeting)).isInstanceOf(ZmtpException.class).hasMessageContaining("CURVE");
  }

  @Test
  void anErrorCommandCarriesItsReason() {
    byte[] reason = "invalid socket type".getBytes(StandardCharsets.US_ASCII);
    Buffer error = Buffer.buffer().appendByte((byte) ZmtpWire.COMMAND).appendByte((byte) (1 + 5 + 1 + reason.length))
        .appendByte((byte) 5).appendString("ERROR").appendByte((byte) reason.length).appendBytes(reason);
    assertThatThrownBy(() -> decoder.feed(ZmtpWire.greeting().appendBuffer(error)))
        .isInstanceOf(ZmtpException.class).hasMessageContaining("invalid socket type");
  }

  @Test
  void aMessageBeforeReadyIsRefused() {
    Buffer early = ZmtpWire.greeting().appendBuffer(ZmtpWire.message(List.of(new byte[] {1})));
    assertThatThrownBy(() -> decoder.feed(early)).isInstanceOf(ZmtpException.class).hasMessageContaining("READY");
  }

  @Test
  void reservedFlagsAreRefused() {
    Buffer bad = ZmtpWire.greeting().appendByte((byte) 0x10).appendByte((byte) 0);
    assertThatThrownBy(() -> decoder.feed(bad)).isInstanceOf(ZmtpException.class).hasMessageContaining("reserved");
  }
}
