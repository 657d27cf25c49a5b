package io.github.kernelgate.cluster;

import com.hazelcast.cluster.Address;
import com.hazelcast.config.properties.PropertyDefinition;
import com.hazelcast.logging.ILogger;
import com.hazelcast.spi.discovery.AbstractDiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryNode;
import com.hazelcast.spi.discovery.DiscoveryStrategy;
import com.hazelcast.spi.discovery.DiscoveryStrategyFactory;
import com.hazelcast.spi.discovery.SimpleDiscoveryNode;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Finds the cluster's members for Hazelcast (its discovery SPI) by resolving KG_CLUSTER_MEMBERS
 * again each time Hazelcast looks: as a replica joins, then every few seconds while it searches
 * for other clusters to merge with. Used when an entry is a DNS name whose addresses change as
 * replicas come and go: swarm lists a task under {@code tasks.<service>} only once its health
 * check passes, so replicas that start together cannot see each other at first; each founds a
 * cluster of its own, and they merge as soon as their names resolve.
 */
final class DnsMemberDiscovery implements DiscoveryStrategyFactory {

  private final List<String> configured;
  private final int clusterPort;

  DnsMemberDiscovery(List<String> configured, int clusterPort) {
    this.configured = List.copyOf(configured);
    this.clusterPort = clusterPort;
  }

  /** The members' addresses now; a {@code host:first-last} entry stands for each port of its range. */
  List<Address> currentMembers() {
    List<Address> addresses = new ArrayList<>();
    for (String member : ClusterMembers.resolveQuietly(configured, clusterPort)) {
      int colon = member.lastIndexOf(':');
      String host = member.substring(0, colon);
      String[] ports = member.substring(colon + 1).split("-");
      int first = Integer.parseInt(ports[0]);
      int last = ports.length > 1 ? Integer.parseInt(ports[1]) : first;
      for (int port = first; port <= last; port++) {
        try {
          addresses.add(new Address(host, port));
        } catch (UnknownHostException gone) {
          // A name with a port that stopped resolving: that member is not there now.
        }
      }
    }
    return addresses;
  }

  @Override
  public Class<? extends DiscoveryStrategy> getDiscoveryStrategyType() {
    return Strategy.class;
  }

  @Override
  public DiscoveryStrategy newDiscoveryStrategy(DiscoveryNode self, ILogger logger, Map<String, Comparable> properties) {
    return new Strategy(logger, properties);
  }

  @Override
  public Collection<PropertyDefinition> getConfigurationProperties() {
    return List.of();
  }

  /** What Hazelcast calls: the members' addresses at the moment it asks. */
  private final class Strategy extends AbstractDiscoveryStrategy {

    Strategy(ILogger logger, Map<String, Comparable> properties) {
      super(logger, properties);
    }

    @Override
    public Iterable<DiscoveryNode> discoverNodes() {
      List<DiscoveryNode> nodes = new ArrayList<>();
      currentMembers().forEach(address -> nodes.add(new SimpleDiscoveryNode(address)));
      return nodes;
    }
  }
}
