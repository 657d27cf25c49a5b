package io.github.kernelgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;

/**
 * Starts Vert.x on a clustered event bus with the Hazelcast cluster manager, for KG_CLUSTER.
 * Members are found over TCP from KG_CLUSTER_MEMBERS only (no multicast, no cloud discovery),
 * and only replicas with the same KG_CLUSTER_NAME join each other. Each member carries its
 * replica ({@code instance@incarnation}) as an attribute, so the others know whose kernels a
 * member that left had.
 */
public final class ClusteredVertx {

  /** A replica's clustered Vert.x and its view of the cluster. */
  public record Started(Vertx vertx, ClusterMembership membership) {
  }

  /** Hazelcast looks this far above the configured port for a free one (several replicas on one host). */
  private static final int PORT_COUNT = 20;

  private ClusteredVertx() {
  }

  /** Blocking (DNS, the cluster join): call from main. */
  public static Future<Started> start(GatewayConfig config, Replica replica) {
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(config, replica));
    EventBusOptions bus = new EventBusOptions().setPort(config.clusterBusPort());
    if (!config.clusterHost().isBlank()) {
      bus.setHost(config.clusterHost());
    }
    return Vertx.builder().with(new VertxOptions().setEventBusOptions(bus)).withClusterManager(manager).buildClustered()
        .map(vertx -> new Started(vertx, new ClusterMembership(manager.getHazelcastInstance(), replica)));
  }

  static Config hazelcastConfig(GatewayConfig config, Replica replica) {
    // Vert.x's defaults (its subscription multimap and maps with backups), then our network.
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.clusterName());
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster as it closes; Hazelcast's own hook would leave before the gateway stopped.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.getMemberAttributeConfig().setAttribute(ClusterMembership.REPLICA_ATTRIBUTE, replica.ownerValue());
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    if (!config.clusterHost().isBlank()) {
      network.getInterfaces().setEnabled(true).addInterface(config.clusterHost());
      hazelcast.setProperty("hazelcast.local.localAddress", config.clusterHost());
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    List<String> members = ClusterMembers.resolve(config.clusterMembers(), config.clusterPort());
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return hazelcast;
  }
}
