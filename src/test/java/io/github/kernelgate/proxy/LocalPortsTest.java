package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ports for local kernels: distinct while reserved, never in use, never ephemeral, freed on release. */
class LocalPortsTest {

  @Test
  void reservedPortsAreDistinctAcrossKernelsUntilReleased() throws IOException {
    // A small range makes reuse certain if reservations did not hold.
    LocalPorts ports = new LocalPorts(freeRangeStart(), freeRangeStart() + 12);
    List<Integer> first = ports.reserve("a", 5);
    List<Integer> second = ports.reserve("b", 5);
    Set<Integer> all = new HashSet<>(first);
    all.addAll(second);
    assertThat(all).hasSize(10);

    assertThatThrownBy(() -> ports.reserve("c", 5)).isInstanceOf(IOException.class).hasMessageContaining("free loopback ports");
    assertThat(ports.reservedCount()).isEqualTo(10);

    ports.release("a");
    assertThat(ports.reserve("c", 5)).doesNotContainAnyElementsOf(second);
  }

  @Test
  void aRestartOfTheSameKernelReleasesItsOldPorts() throws IOException {
    LocalPorts ports = new LocalPorts(freeRangeStart(), freeRangeStart() + 7);
    ports.reserve("a", 5);
    assertThat(ports.reserve("a", 5)).hasSize(5);
    assertThat(ports.reservedCount()).isEqualTo(5);
  }

  @Test
  void aPortInUseIsSkipped() throws IOException {
    int start = freeRangeStart();
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), start + 2));
      List<Integer> reserved = new LocalPorts(start, start + 6).reserve("a", 5);
      assertThat(reserved).doesNotContain(start + 2).hasSize(5);
    }
  }

  @Test
  void theSharedRangeLiesBelowTheEphemeralPorts() {
    int[] range = LocalPorts.rangeBelowEphemeral();
    assertThat(range[0]).isGreaterThanOrEqualTo(1024);
    assertThat(range[1] - range[0]).isGreaterThan(1000);
    assertThat(range[1]).isLessThanOrEqualTo(ephemeralLow());
  }

  private static int ephemeralLow() {
    try {
      return Integer.parseInt(java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unreadable) {
      return 32768;
    }
  }

  /** The start of 15 consecutive ports nobody listens on now, in the range the tests' own kernels do not use. */
  private static int freeRangeStart() throws IOException {
    for (int start = 5000; start < 9000; start += 15) {
      boolean free = true;
      for (int port = start; port < start + 15 && free; port++) {
        try (ServerSocket probe = new ServerSocket()) {
          probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException inUse) {
          free = false;
        }
      }
      if (free) {
        return start;
      }
    }
    throw new IOException("no free port range for the test");
  }
}
