package io.github.kernelgate.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.ops.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts Vert.x on a clustered event bus with the Hazelcast cluster manager, for KG_CLUSTER.
 * Members are found over TCP from KG_CLUSTER_MEMBERS only (no multicast, no cloud discovery),
 * and only replicas with the same KG_CLUSTER_NAME join each other. Each member carries its
 * replica ({@code instance@incarnation}) as an attribute, so the others know whose kernels a
 * member that left had.
 */
public final class ClusteredVertx {

  private static final Logger LOG = LoggerFactory.getLogger(ClusteredVertx.class);
  private static final int HOST_ATTEMPTS = 10;
  private static final long HOST_RETRY_MILLIS = 1_000;

  /** A replica's clustered Vert.x and its view of the cluster. */
  public record Started(Vertx vertx, ClusterMembership membership) {
  }

  /** Hazelcast looks this far above the configured port for a free one (several replicas on one host). */
  private static final int PORT_COUNT = 20;

  private ClusteredVertx() {
  }

  /** Blocking (DNS, the cluster join): call from main. */
  public static Future<Started> start(GatewayConfig config, Replica replica, GatewayMetrics metrics) {
    List<String> members = ClusterMembers.resolve(config.clusterMembers(), config.clusterPort());
    String host = config.clusterHost();
    // A swarm task's own DNS entry may appear a moment after it starts: wait for it a little.
    int attempts = ClusterMembers.anyName(config.clusterMembers()) ? HOST_ATTEMPTS : 1;
    for (int attempt = 0; host.isBlank() && attempt < attempts; attempt++) {
      host = ClusterMembers.localAddressAmong(members).orElse("");
      if (host.isEmpty() && attempt + 1 < attempts) {
        sleep(HOST_RETRY_MILLIS);
        members = ClusterMembers.resolve(config.clusterMembers(), config.clusterPort());
      }
    }
    LOG.atInfo().addKeyValue("host", host.isEmpty() ? "(Hazelcast's choice)" : host).addKeyValue("members", members)
        .log("joining cluster {} as {}", config.clusterName(), replica.ownerValue());
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcastConfig(config, replica, host, members));
    EventBusOptions bus = new EventBusOptions().setPort(config.clusterBusPort());
    if (!host.isEmpty()) {
      bus.setHost(host);
    }
    return metrics.instrument(Vertx.builder(), new VertxOptions().setEventBusOptions(bus)).withClusterManager(manager).buildClustered()
        .map(vertx -> new Started(vertx, new ClusterMembership(manager.getHazelcastInstance(), replica)));
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
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
    join.getTcpIpConfig().setEnabled(true).setMembers(members);
    return hazelcast;
  }
}
