package io.github.kernelgate.api;

import io.github.kernelgate.ops.GatewayMetrics;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.WireMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The replay buffer's bookkeeping: who is owed what, in which order, and what goes when it is full. */
class ReplayBufferTest {

  private static final int CONTENT_BYTES = 100;

  private static SequencedMessage message(long sequence) {
    WireMessage wire = new WireMessage(new byte[0], new byte[0], new byte[0], new byte[CONTENT_BYTES], List.of());
    return new SequencedMessage(sequence, new KernelMessage("k", Channel.IOPUB, wire, "m" + sequence, "stream", null, null, System.nanoTime()));
  }

  private static List<Long> sequences(List<SequencedMessage> messages) {
    return messages.stream().map(SequencedMessage::sequence).toList();
  }

  @Test
  void onlySessionsThatAreAwayAreOwedAndEachGetsItsShareOnce() {
    ReplayBuffer buffer = new ReplayBuffer("k", 10_000, new GatewayMetrics().clients());
    buffer.keepForEveryoneAway(message(1));
    buffer.sessionLeft("a");
    buffer.keepForEveryoneAway(message(2));
    buffer.sessionLeft("b");
    buffer.keepForEveryoneAway(message(3));
    buffer.keepFor("b", message(4));
    buffer.keepFor("c", message(5));

    assertThat(buffer.bytes()).as("one copy per message").isEqualTo(3L * CONTENT_BYTES);
    assertThat(sequences(buffer.sessionReturned("a"))).containsExactly(2L, 3L);
    assertThat(sequences(buffer.sessionReturned("b"))).containsExactly(3L, 4L);
    assertThat(buffer.sessionReturned("b")).as("returned sessions are owed nothing more").isEmpty();
    assertThat(buffer.bytes()).isZero();
  }

  @Test
  void aMessageHandedBackLateTakesItsPlaceInOrder() {
    ReplayBuffer buffer = new ReplayBuffer("k", 10_000, new GatewayMetrics().clients());
    buffer.sessionLeft("a");
    buffer.keepForEveryoneAway(message(3));
    buffer.keepForEveryoneAway(message(5));
    buffer.keepFor("a", message(4));
    buffer.keepFor("a", message(1));

    assertThat(sequences(buffer.sessionReturned("a"))).containsExactly(1L, 3L, 4L, 5L);
  }

  @Test
  void pastTheBoundTheOldestGoAndAreCounted() {
    ReplayBuffer buffer = new ReplayBuffer("k", 3L * CONTENT_BYTES, new GatewayMetrics().clients());
    buffer.sessionLeft("a");
    for (long sequence = 1; sequence <= 5; sequence++) {
      buffer.keepForEveryoneAway(message(sequence));
    }

    assertThat(buffer.droppedMessages()).isEqualTo(2);
    assertThat(sequences(buffer.sessionReturned("a"))).containsExactly(3L, 4L, 5L);
  }
}
