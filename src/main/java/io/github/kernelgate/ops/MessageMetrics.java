package io.github.kernelgate.ops;

import io.github.kernelgate.protocol.Channel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Kernel messages through the ZMQ bridge, by channel and direction, counted and summed in bytes.
 * The counters are made once: counting a message costs two atomic adds on the ZMQ thread.
 */
public final class MessageMetrics {

  /** Which way a message went. */
  public enum Direction {
    TO_KERNEL, FROM_KERNEL
  }

  private final Map<Direction, Map<Channel, Counter>> messages = new EnumMap<>(Direction.class);
  private final Map<Direction, Map<Channel, Counter>> bytes = new EnumMap<>(Direction.class);

  MessageMetrics(MeterRegistry registry) {
    for (Direction direction : Direction.values()) {
      String way = direction.name().toLowerCase(Locale.ROOT);
      Map<Channel, Counter> messageCounters = new EnumMap<>(Channel.class);
      Map<Channel, Counter> byteCounters = new EnumMap<>(Channel.class);
      for (Channel channel : Channel.values()) {
        messageCounters.put(channel, Counter.builder("kernelgate.messages").description("Kernel messages by channel and direction")
            .tags("channel", channel.wireName(), "direction", way).register(registry));
        byteCounters.put(channel, Counter.builder("kernelgate.message.bytes").description("Bytes of kernel messages by channel and direction")
            .baseUnit("bytes").tags("channel", channel.wireName(), "direction", way).register(registry));
      }
      messages.put(direction, messageCounters);
      bytes.put(direction, byteCounters);
    }
  }

  public void message(Direction direction, Channel channel, long size) {
    messages.get(direction).get(channel).increment();
    bytes.get(direction).get(channel).increment(size);
  }
}
