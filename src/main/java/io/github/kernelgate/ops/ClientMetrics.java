package io.github.kernelgate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel clients' figures: WebSocket clients connected here, what the replay buffers hold and
 * drop, how long kernel messages wait in the gateway, and the WebSocket closes the gateway decides
 * (1007 a bad message, 1008 a client too slow, 1001 no pong, 1011 and 1012 a relay's owner gone or moved).
 */
public final class ClientMetrics {

  /** Messages of {@link #LARGE_MESSAGE_BYTES} or more are timed apart: their hold is mostly their own size's work. */
  private static final long LARGE_MESSAGE_BYTES = 1024 * 1024;

  private final MeterRegistry registry;
  private final AtomicLong clients = new AtomicLong();
  private final AtomicLong replayBytes = new AtomicLong();
  private final Counter replayDrops;
  private final Timer smallMessagesHeld;
  private final Timer largeMessagesHeld;

  ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("kernelgate.websocket.clients", clients, AtomicLong::get)
        .description("Kernel WebSockets open on this gateway (relayed ones counted where the client is connected)").register(registry);
    Gauge.builder("kernelgate.replay.buffer.bytes", replayBytes, AtomicLong::get)
        .description("Bytes the replay buffers hold for sessions that are away").baseUnit("bytes").register(registry);
    replayDrops = Counter.builder("kernelgate.replay.dropped.messages")
        .description("Messages dropped from full replay buffers (their sessions will miss them)").register(registry);
    smallMessagesHeld = held(registry, "small");
    largeMessagesHeld = held(registry, "large");
  }

  private static Timer held(MeterRegistry registry, String size) {
    return Timer.builder("kernelgate.message.hold")
        .description("From a kernel message's first byte at the gateway to its write to its clients' WebSockets "
            + "(live messages; large: 1 MiB or more)")
        .tag("size", size).register(registry);
  }

  /** A live kernel message of {@code bytes} was handed to its clients' sockets {@code nanos} after its first byte came. */
  public void messageHeld(long bytes, long nanos) {
    (bytes >= LARGE_MESSAGE_BYTES ? largeMessagesHeld : smallMessagesHeld).record(nanos, TimeUnit.NANOSECONDS);
  }

  public void clientOpened() {
    clients.incrementAndGet();
  }

  public void clientClosed() {
    clients.decrementAndGet();
  }

  public void replayBytesChanged(long delta) {
    replayBytes.addAndGet(delta);
  }

  public void replayDropped() {
    replayDrops.increment();
  }

  /** A WebSocket the gateway closed, by close code (a handful of values). */
  public void closed(short code) {
    Counter.builder("kernelgate.websocket.closes").description("WebSockets the gateway closed, by close code")
        .tag("code", String.valueOf(code)).register(registry).increment();
  }
}
