package io.github.kernelgate.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ports for a process the test starts, which binds them later. A port the system hands out for
 * {@code bind(0)} lies in the ephemeral range (32768-60999 here), where the outgoing connections of
 * everything running (three Hazelcast replicas connecting to each other, for one) take their local
 * ports: ClusterIT once lost a replica to "Address already in use" that way. These come from below
 * that range, which outgoing connections never use, and are checked free when handed out.
 */
public final class FreePorts {

  private static final int FIRST = 20_000;
  private static final int LAST = 32_000;
  /** Random start per test JVM, so concurrent test runs on one machine rarely try the same ports. */
  private static final AtomicInteger NEXT = new AtomicInteger(FIRST + ThreadLocalRandom.current().nextInt(LAST - FIRST));

  private FreePorts() {
  }

  public static int pick() {
    for (int attempt = 0; attempt < LAST - FIRST; attempt++) {
      int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, LAST - FIRST);
      try (ServerSocket probe = new ServerSocket()) {
        probe.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException taken) {
        // In use: try the next one.
      }
    }
    throw new IllegalStateException("no free port between " + FIRST + " and " + LAST);
  }
}
