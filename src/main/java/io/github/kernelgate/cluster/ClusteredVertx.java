package io.github.kernelgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.DiscoveryStrategyConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.GatewayVertxOptions;
import io.github.kernelgate.ops.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.security.Security;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Vert.x on a clustered event bus with the Hazelcast cluster manager, for KG_CLUSTER.
 * Members are found over TCP from KG_CLUSTER_MEMBERS only (no multicast, no cloud discovery; the
 * names in it are resolved again as Hazelcast keeps looking, see {@link DnsMemberDiscovery}), and
 * only replicas with the same KG_CLUSTER_NAME join each other. Each member carries its
 * replica ({@code instance@incarnation}) as an attribute, so the others know whose kernels a
 * member that left had.
 */
public final class ClusteredVertx {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredVertx.class);
  private static final int DNS_CACHE_SECONDS = 2;

  /** A replica's clustered Vert.x and its view of the cluster. */
  public record Started(Vertx vertx, ClusterMembership membership) {
  }

  /** Hazelcast looks this far above the configured port for a free one (several replicas on one host). */
  private static final int PORT_COUNT = 20;

  private ClusteredVertx() {
  }

  /** Blocking (DNS, the cluster join): call from main. */
  public static Future<Started> start(GatewayConfig config, Replica replica, GatewayMetrics metrics) {
    boolean byName = ClusterMembers.anyName(config.clusterMembers());
    if (byName) {
      // Names are looked up again every few seconds to find replicas that appear: the JVM's 30 s cache would hide them.
      Security.setProperty("networkaddress.cache.ttl", String.valueOf(DNS_CACHE_SECONDS));
      Security.setProperty("networkaddress.cache.negative.ttl", "0");
    }
    List<String> members = ClusterMembers.resolve(config.clusterMembers(), config.clusterPort());
    String host = config.clusterHost();
    if (host.isBlank()) {
      // The address the members know this replica by. Swarm lists a task only once it is healthy, so
      // with names the host's own name (the task's overlay address in its /etc/hosts) stands in until then.
      host = ClusterMembers.localAddressAmong(members)
          .or(() -> byName ? ClusterMembers.addressOfHostName() : Optional.empty()).orElse("");
    }
    LOG.atInfo().addKeyValue("host", host.isEmpty() ? "(Hazelcast's choice)" : host).addKeyValue("members", members)
        .log("joining cluster {} as {}", config.clusterName(), replica.ownerValue());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(config, replica, host, members));
    EventBusOptions bus = new EventBusOptions().setPort(config.clusterBusPort());
    if (!host.isEmpty()) {
      bus.setHost(host);
    }
    return metrics.instrument(Vertx.builder(), GatewayVertxOptions.create().setEventBusOptions(bus)).withClusterManager(manager).buildClustered()
        .map(vertx -> new Started(vertx, new ClusterMembership(manager.getHazelcastInstance(), replica)));
  }

  /**
   * Heartbeats every second; a member silent for {@code seconds} is removed (Hazelcast's 60 s would
   * leave a hung replica's kernels unserved for a minute). The two sides of a healed partition look
   * for each other about as often, so they merge within seconds.
   */
  private static void failureDetection(Config hazelcast, int seconds) {
    hazelcast.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hazelcast.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(seconds));
    hazelcast.setProperty("hazelcast.merge.first.run.delay.seconds", String.valueOf(seconds));
    hazelcast.setProperty("hazelcast.merge.next.run.delay.seconds", String.valueOf(seconds));
  }

  static Config hazelcastConfig(GatewayConfig config, Replica replica, String host, List<String> members) {
    // Vert.x's defaults (its subscription multimap and maps with backups), then our network.
    Config hazelcast = ConfigUtil.loadConfig();
    hazelcast.setClusterName(config.clusterName());
    hazelcast.setProperty("hazelcast.logging.type", "slf4j");
    hazelcast.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster as it closes; Hazelcast's own hook would leave before the gateway stopped.
    hazelcast.setProperty("hazelcast.shutdownhook.enabled", "false");
    hazelcast.getMemberAttributeConfig().setAttribute(ClusterMembership.REPLICA_ATTRIBUTE, replica.ownerValue());
    failureDetection(hazelcast, Math.max(2, config.clusterFailureSeconds()));
    // When a partition heals, the smaller side merges into the larger, whose owner of a kernel stays (put-if-absent): the
    // other side's replica then lets go of it (ClusterMembership#onMerged).
    for (String map : List.of(KernelOwners.OWNERS, KernelOwners.RECORDS)) {
      hazelcast.addMapConfig(new MapConfig(map).setBackupCount(1)
          .setMergePolicyConfig(new MergePolicyConfig().setPolicy(PutIfAbsentMergePolicy.class.getName())));
    }
    NetworkConfig network = hazelcast.getNetworkConfig();
    network.setPort(config.clusterPort()).setPortAutoIncrement(true).setPortCount(PORT_COUNT);
    if (!host.isEmpty()) {
      network.getInterfaces().setEnabled(true).addInterface(host);
      hazelcast.setProperty("hazelcast.local.localAddress", host);
    }
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (ClusterMembers.anyName(config.clusterMembers())) {
      // Names resolve to other addresses over time: asked again each time Hazelcast looks for members.
      hazelcast.setProperty("hazelcast.discovery.enabled", "true");
      join.getDiscoveryConfig().addDiscoveryStrategyConfig(
          new DiscoveryStrategyConfig(new DnsMemberDiscovery(config.clusterMembers(), config.clusterPort())));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    return hazelcast;
  }
}
