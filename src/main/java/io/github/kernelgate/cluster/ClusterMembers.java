package io.github.kernelgate.cluster;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members a replica asks to join, from KG_CLUSTER_MEMBERS: entries with a port (host:port or
 * host:port-port) are taken as they are; a bare name is resolved to every address it has (in swarm,
 * {@code tasks.<service>} names every running task of the service), each with the cluster port.
 * Blocking (DNS): call before Vert.x starts.
 */
final class ClusterMembers {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembers.class);

  private ClusterMembers() {
  }

  /**
   * The address of this host that is one of the members (in swarm, this task's address on the
   * overlay network, which {@code tasks.<service>} lists among the others): the address to bind and
   * announce when KG_CLUSTER_HOST is not set, so the cluster never forms over another network.
   */
  static Optional<String> localAddressAmong(List<String> members) {
    Set<String> hosts = new HashSet<>();
    members.forEach(member -> hosts.add(member.substring(0, member.lastIndexOf(':'))));
    try {
      for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        for (InetAddress address : Collections.list(network.getInetAddresses())) {
          if (!address.isLoopbackAddress() && hosts.contains(address.getHostAddress())) {
            return Optional.of(address.getHostAddress());
          }
        }
      }
    } catch (SocketException unreadable) {
      LOG.warn("network interfaces cannot be listed: {}", unreadable.getMessage());
    }
    return Optional.empty();
  }

  /**
   * This host's own address by its name (in a container, the address /etc/hosts gives the container
   * on its first network: in swarm, the task's overlay address), unless that is a loopback address.
   */
  static Optional<String> addressOfHostName() {
    try {
      InetAddress local = InetAddress.getLocalHost();
      return local.isLoopbackAddress() ? Optional.empty() : Optional.of(local.getHostAddress());
    } catch (UnknownHostException unnamed) {
      return Optional.empty();
    }
  }

  static List<String> resolve(List<String> configured, int clusterPort) {
    return resolve(configured, clusterPort, true);
  }

  /** {@link #resolve} without a warning for a name that does not resolve: for the lookups repeated every few seconds. */
  static List<String> resolveQuietly(List<String> configured, int clusterPort) {
    return resolve(configured, clusterPort, false);
  }

  private static List<String> resolve(List<String> configured, int clusterPort, boolean warn) {
    List<String> members = new ArrayList<>();
    for (String entry : configured) {
      String member = entry.strip();
      if (member.isEmpty()) {
        continue;
      }
      if (hasPort(member)) {
        members.add(member);
        continue;
      }
      try {
        for (InetAddress address : InetAddress.getAllByName(member)) {
          members.add(address.getHostAddress() + ":" + clusterPort);
        }
      } catch (UnknownHostException notYet) {
        // Swarm names a task only once it is healthy: the replicas that start first found the cluster.
        if (warn) {
          LOG.warn("cluster member name {} does not resolve (yet); it is left out for now", member);
        }
      }
    }
    return members;
  }

  /** Whether some entry is a name to resolve (no port): its addresses may change as replicas come and go. */
  static boolean anyName(List<String> configured) {
    return configured.stream().map(String::strip).anyMatch(member -> !member.isEmpty() && !hasPort(member));
  }

  /** An IPv4 address or name followed by {@code :port} or {@code :port-port}. */
  private static boolean hasPort(String member) {
    int colon = member.lastIndexOf(':');
    return colon > 0 && member.indexOf(':') == colon && member.substring(colon + 1).matches("\\d+(-\\d+)?");
  }
}
