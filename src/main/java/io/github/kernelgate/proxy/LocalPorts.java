package io.github.kernelgate.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Loopback ports for local kernels, which bind them only after the gateway has written them into
 * the connection file. Two things could take a port in that gap, and both are ruled out here:
 * <ul>
 *   <li>another launch of this JVM: a port stays reserved for its kernel until the kernel is cleaned up;</li>
 *   <li>the source port of an outgoing connection (the bridge connects to kernels all the time): ports
 *       come from below the kernel's ephemeral range, which connections never use.</li>
 * </ul>
 * A port is also bound once here, so one in use by anything else is skipped.
 */
final class LocalPorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  private static final int DEFAULT_EPHEMERAL_LOW = 32768;
  private static final int RANGE_SIZE = 12_000;
  private static final int LOWEST = 1024;

  private static final LocalPorts SHARED = new LocalPorts(rangeBelowEphemeral());

  private final int low;
  private final int high;
  private final Map<String, List<Integer>> reservedByKernel = new HashMap<>();
  private final Set<Integer> reserved = new HashSet<>();

  LocalPorts(int low, int high) {
    this.low = low;
    this.high = high;
  }

  /** One allocator per JVM: in-process test gateways share the loopback interface too. */
  static LocalPorts shared() {
    return SHARED;
  }

  /** Reserves {@code count} distinct free ports for a kernel, releasing any it held before (a restart). Blocking. */
  synchronized List<Integer> reserve(String kernelId, int count) throws IOException {
    release(kernelId);
    List<Integer> ports = new ArrayList<>(count);
    int span = high - low;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int step = 0; step < span && ports.size() < count; step++) {
      int port = low + (start + step) % span;
      if (!reserved.contains(port) && bindable(port)) {
        ports.add(port);
        reserved.add(port);
      }
    }
    if (ports.size() < count) {
      reserved.removeAll(ports);
      throw new IOException("No " + count + " free loopback ports in " + low + ".." + (high - 1));
    }
    reservedByKernel.put(kernelId, ports);
    return ports;
  }

  synchronized void release(String kernelId) {
    List<Integer> ports = reservedByKernel.remove(kernelId);
    if (ports != null) {
      reserved.removeAll(ports);
    }
  }

  synchronized int reservedCount() {
    return reserved.size();
  }

  private static boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(false);
      probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException inUse) {
      return false;
    }
  }

  /** The {@value #RANGE_SIZE} ports just below the kernel's ephemeral range (32768 when it cannot be read). */
  static int[] rangeBelowEphemeral() {
    int ephemeralLow = DEFAULT_EPHEMERAL_LOW;
    try {
      // Read line-wise: Files.readString trusts the size /proc reports and returns one character.
      String[] bounds = Files.readAllLines(EPHEMERAL_RANGE, StandardCharsets.US_ASCII).get(0).trim().split("\\s+");
      ephemeralLow = Integer.parseInt(bounds[0]);
    } catch (IOException | RuntimeException unreadable) {
      // Not Linux, or a restricted /proc: the usual default.
    }
    int high = Math.max(ephemeralLow, LOWEST + 1000);
    return new int[] {Math.max(LOWEST, high - RANGE_SIZE), high};
  }

  private LocalPorts(int[] range) {
    this(range[0], range[1]);
  }
}
