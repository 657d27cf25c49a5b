package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.LegacyFraming;
import io.github.kernelgate.protocol.V1Framing;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageFramesTest {

  private static SequencedMessage stream(int textLength) {
    char[] text = new char[textLength];
    Arrays.fill(text, 'x');
    byte[] content = ("{\"name\":\"stdout\",\"text\":\"" + new String(text) + "\"}").getBytes(StandardCharsets.UTF_8);
    WireMessage wire = new WireMessage("{\"msg_id\":\"m1\",\"msg_type\":\"stream\"}".getBytes(StandardCharsets.UTF_8),
        "{\"msg_id\":\"p1\"}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), content, List.of());
    return new SequencedMessage(1, new KernelMessage("k1", Channel.IOPUB, wire, "m1", "stream", "p1", null, System.nanoTime()));
  }

  private static boolean isDirect(Buffer frame) {
    return ((BufferInternal) frame).getByteBuf().isDirect();
  }

  @Test
  void aLargeMessageIsFramedOnceIntoDirectMemoryWithTheSameBytes() {
    SequencedMessage sent = stream(MessageFrames.SHARED_FROM_BYTES * 4);
    MessageFrames frames = MessageFrames.forSeveralClients(sent);
    KernelMessage kernel = sent.message();

    Buffer v1 = frames.v1();
    assertThat(isDirect(v1)).isTrue();
    assertThat(frames.v1()).as("built once for every client").isSameAs(v1);
    assertThat(v1.getBytes()).isEqualTo(V1Framing.toClient(Channel.IOPUB, kernel.message()).getBytes());

    LegacyFraming.Frame legacy = frames.legacy();
    LegacyFraming.Frame expected = LegacyFraming.toClient(Channel.IOPUB, kernel.message(), "m1", "stream", true);
    assertThat(isDirect(legacy.data())).isTrue();
    assertThat(legacy.binary()).isFalse();
    assertThat(frames.legacy()).isSameAs(legacy);
    assertThat(legacy.data().getBytes()).isEqualTo(expected.data().getBytes());
  }

  @Test
  void aSharedFrameSurvivesBeingWrittenAndSlicedForEachClient() {
    MessageFrames frames = MessageFrames.forSeveralClients(stream(MessageFrames.SHARED_FROM_BYTES * 4));
    Buffer v1 = frames.v1();
    byte[] before = v1.getBytes();
    // What a socket write does to it: Netty releases what it wrote, fragments are slices.
    ((BufferInternal) v1).getByteBuf().release();
    ((BufferInternal) v1.slice(0, 1000)).getByteBuf().release();
    assertThat(frames.v1().getBytes()).isEqualTo(before);
  }

  @Test
  void aSmallMessageKeepsItsHeapFrame() {
    MessageFrames frames = MessageFrames.forSeveralClients(stream(100));
    assertThat(isDirect(frames.v1())).isFalse();
    assertThat(isDirect(frames.legacy().data())).isFalse();
  }
}
