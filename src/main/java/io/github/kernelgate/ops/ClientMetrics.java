package io.github.kernelgate.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The kernel clients' figures: WebSocket clients connected here, what the replay buffers hold and
 * drop, and the WebSocket closes the gateway decides (1007 a bad message, 1008 a client too slow,
 * 1001 no pong, 1011 and 1012 a relay's owner gone or moved).
 */
public final class ClientMetrics {

  private final MeterRegistry registry;
  private final AtomicLong clients = new AtomicLong();
  private final AtomicLong replayBytes = new AtomicLong();
  private final Counter replayDrops;

  ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("kernelgate.websocket.clients", clients, AtomicLong::get)
        .description("Kernel WebSockets open on this gateway (relayed ones counted where the client is connected)").register(registry);
    Gauge.builder("kernelgate.replay.buffer.bytes", replayBytes, AtomicLong::get)
        .description("Bytes the replay buffers hold for sessions that are away").baseUnit("bytes").register(registry);
    replayDrops = Counter.builder("kernelgate.replay.dropped.messages")
        .description("Messages dropped from full replay buffers (their sessions will miss them)").register(registry);
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
