package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Kernels are spread over ZMQ contexts, a new one only once every context serves its share. */
class ContextShardsTest {

  @Test
  void aNewContextOpensOnlyWhenEveryOneIsFullAndEmptiedOnesAreReused() {
    try (ContextShards shards = new ContextShards()) {
      List<ContextShards.Shard> taken = new ArrayList<>();
      for (int i = 0; i < ContextShards.KERNELS_PER_CONTEXT; i++) {
        taken.add(shards.acquire());
      }
      assertThat(shards.contexts()).isEqualTo(1);
      ContextShards.Shard second = shards.acquire();
      assertThat(shards.contexts()).isEqualTo(2);
      assertThat(second).isNotSameAs(taken.get(0));

      // The least loaded context takes the next kernel: the second, until both serve as many.
      assertThat(shards.acquire()).isSameAs(second);
      taken.forEach(shards::release);
      assertThat(shards.acquire()).as("the emptied first context is reused").isSameAs(taken.get(0));
      assertThat(shards.contexts()).isEqualTo(2);
    }
  }
}
