package io.github.kernelgate.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
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

  static List<String> resolve(List<String> configured, int clusterPort) {
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
        // The first task of a service may start before its DNS name exists: it founds the cluster.
        LOG.warn("cluster member name {} does not resolve (yet); it is left out", member);
      }
    }
    return members;
  }

  /** An IPv4 address or name followed by {@code :port} or {@code :port-port}. */
  private static boolean hasPort(String member) {
    int colon = member.lastIndexOf(':');
    return colon > 0 && member.indexOf(':') == colon && member.substring(colon + 1).matches("\\d+(-\\d+)?");
  }
}
