package io.github.kernelgate.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * This replica's view of the others: which replicas ({@code instance@incarnation}, a member
 * attribute) are members now, news of each one that leaves (a stop, a crash, a network cut) and
 * of this one's return after a partition.
 * Listeners are called on Hazelcast's threads.
 */
public final class ClusterMembership {

  static final String REPLICA_ATTRIBUTE = "kernelgate.replica";

  private final HazelcastInstance hazelcast;
  private final Replica self;

  ClusterMembership(HazelcastInstance hazelcast, Replica self) {
    this.hazelcast = hazelcast;
    this.self = self;
  }

  public Replica self() {
    return self;
  }

  /** The owner values of every replica that is a member now, this one included. */
  public Set<String> present() {
    return hazelcast.getCluster().getMembers().stream().map(ClusterMembership::replicaOf).filter(value -> value != null)
        .collect(Collectors.toSet());
  }

  /** How many members the cluster has as this replica sees it; 0 once this replica is not part of one (Hazelcast stopped). */
  public int memberCount() {
    return hazelcast.getLifecycleService().isRunning() ? hazelcast.getCluster().getMembers().size() : 0;
  }

  /** {@code listener} gets the owner value of each replica that leaves, until the returned handle is run. */
  public Runnable onDeparture(Consumer<String> listener) {
    UUID registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // Nothing to do: a replica that joins claims only what it starts or what was its own.
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        String replica = replicaOf(event.getMember());
        if (replica != null) {
          listener.accept(replica);
        }
      }
    });
    return () -> hazelcast.getCluster().removeMembershipListener(registration);
  }

  /**
   * {@code listener} runs each time this replica's side of a partition has merged back into the
   * cluster (it was cut off, or hung past the failure timeout, and the others went on without it),
   * until the returned handle is run.
   */
  public Runnable onMerged(Runnable listener) {
    UUID registration = hazelcast.getLifecycleService().addLifecycleListener(event -> {
      if (event.getState() == LifecycleEvent.LifecycleState.MERGED) {
        listener.run();
      }
    });
    return () -> hazelcast.getLifecycleService().removeLifecycleListener(registration);
  }

  private static String replicaOf(Member member) {
    return member.getAttribute(REPLICA_ATTRIBUTE);
  }
}
