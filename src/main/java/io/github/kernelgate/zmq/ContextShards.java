package io.github.kernelgate.zmq;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.zeromq.ZContext;

/**
 * The ZMQ contexts that hold the kernels' sockets, each with its own I/O thread. JeroMQ's I/O
 * thread walks every connection it serves whenever one of them starts or stops waiting to write,
 * which each message sent does: with all 500 kernels of the scale figure on one thread, that walk
 * was most of the gateway's CPU per execute. So a kernel goes to the context serving the fewest,
 * and a new context is opened once every one serves {@link #KERNELS_PER_CONTEXT}. Contexts stay
 * open until {@link #close} (an emptied one is reused first). Used by the socket-owner thread only.
 */
final class ContextShards implements AutoCloseable {

  /** Five sockets each: 160, well within JeroMQ's 1024 per context (one context for all once stopped launches at 204 kernels). */
  static final int KERNELS_PER_CONTEXT = 32;

  /** One context and how many kernels it serves now. */
  static final class Shard {
    final ZContext context;
    int kernels;

    private Shard(ZContext context) {
      this.context = context;
    }
  }

  private final List<Shard> shards = new ArrayList<>();

  /** The context a new kernel's sockets go to; give it back with {@link #release}. */
  Shard acquire() {
    Shard least = shards.stream().min(Comparator.comparingInt(shard -> shard.kernels)).orElse(null);
    if (least == null || least.kernels >= KERNELS_PER_CONTEXT) {
      least = new Shard(new ZContext(1));
      shards.add(least);
    }
    least.kernels++;
    return least;
  }

  void release(Shard shard) {
    shard.kernels--;
  }

  /** Contexts open now, for tests. */
  int contexts() {
    return shards.size();
  }

  @Override
  public void close() {
    shards.forEach(shard -> shard.context.close());
    shards.clear();
  }
}
