package io.github.kernelgate.api;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * On the kernel's owner, a client WebSocket that another replica holds (see {@link RelayWire}).
 * Pausing withholds the answers to the holder's messages, so the holder stops reading its
 * WebSocket; a write completes when the holder has written it to the client.
 */
final class RelayedClientSocket implements ClientSocket {

  private final Vertx vertx;
  private final String relay;
  private final boolean v1;
  private final MessageConsumer<Buffer> fromHolder;
  private final Queue<Message<Buffer>> unanswered = new ArrayDeque<>();
  private Consumer<String> text = ignored -> { };
  private Consumer<Buffer> binary = ignored -> { };
  private Runnable ended = () -> { };
  private boolean paused;
  private boolean closed;

  RelayedClientSocket(Vertx vertx, String relay, boolean v1) {
    this.vertx = vertx;
    this.relay = relay;
    this.v1 = v1;
    this.fromHolder = vertx.eventBus().consumer(RelayWire.toKernel(relay), this::received);
  }

  /** Completes once the holder can reach this socket: only then may the relay's opening be answered. */
  Future<Void> registered() {
    return fromHolder.completion();
  }

  private void received(Message<Buffer> message) {
    String kind = message.headers().get(RelayWire.KIND);
    if (RelayWire.CLOSE.equals(kind)) {
      message.reply(null);
      end();
      return;
    }
    if (RelayWire.TEXT.equals(kind)) {
      text.accept(message.body().toString(StandardCharsets.UTF_8));
    } else {
      binary.accept(message.body());
    }
    if (paused) {
      unanswered.add(message);
    } else {
      message.reply(null);
    }
  }

  @Override
  public boolean isV1() {
    return v1;
  }

  @Override
  public void handlers(Consumer<String> text, Consumer<Buffer> binary, Runnable ended) {
    this.text = text;
    this.binary = binary;
    this.ended = ended;
  }

  @Override
  public void pause() {
    paused = true;
  }

  @Override
  public void resume() {
    paused = false;
    while (!unanswered.isEmpty()) {
      unanswered.poll().reply(null);
    }
  }

  @Override
  public Future<Void> writeText(Buffer utf8) {
    return write(RelayWire.TEXT, utf8);
  }

  @Override
  public Future<Void> writeBinary(Buffer data) {
    return write(RelayWire.BINARY, data);
  }

  private Future<Void> write(String kind, Buffer data) {
    if (closed) {
      return Future.failedFuture("relay closed");
    }
    return vertx.eventBus().request(RelayWire.toClient(relay), data, RelayWire.kind(kind)).mapEmpty();
  }

  @Override
  public void close(short code, String reason) {
    if (!closed) {
      vertx.eventBus().send(RelayWire.toClient(relay), RelayWire.closing(code, reason), RelayWire.kind(RelayWire.CLOSE));
    }
    end();
  }

  private void end() {
    if (closed) {
      return;
    }
    closed = true;
    fromHolder.unregister();
    // Nothing waits on these any more: let the holder's requests finish now rather than time out.
    resume();
    ended.run();
  }
}
