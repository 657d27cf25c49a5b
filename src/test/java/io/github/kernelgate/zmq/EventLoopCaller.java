package io.github.kernelgate.zmq;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs a test's calls on one Vert.x event loop, as the ZMQ verticle does, and waits for them. */
final class EventLoopCaller implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  <T> T call(Supplier<T> step) {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(step.get());
      } catch (RuntimeException | Error failure) {
        done.completeExceptionally(failure);
      }
    });
    try {
      return done.get(10, TimeUnit.SECONDS);
    } catch (Exception failed) {
      throw new AssertionError("the call on the event loop failed", failed);
    }
  }

  void run(Runnable step) {
    call(() -> {
      step.run();
      return null;
    });
  }

  @Override
  public void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }
}
