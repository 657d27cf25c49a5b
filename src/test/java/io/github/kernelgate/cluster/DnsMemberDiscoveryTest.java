package io.github.kernelgate.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.cluster.Address;
import com.hazelcast.spi.discovery.DiscoveryNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsMemberDiscoveryTest {

  @Test
  void aNameStandsForEachOfItsAddressesWithTheClusterPort() {
    DnsMemberDiscovery discovery = new DnsMemberDiscovery(List.of("localhost"), 5801);

    assertThat(discovery.currentMembers()).extracting(Address::getPort).containsOnly(5801);
    assertThat(discovery.currentMembers()).extracting(Address::getHost).contains("127.0.0.1");
  }

  @Test
  void aPortRangeStandsForEachPortOfIt() {
    DnsMemberDiscovery discovery = new DnsMemberDiscovery(List.of("127.0.0.1:5701-5703", "10.0.0.9:6000"), 5801);

    assertThat(discovery.currentMembers()).extracting(Address::toString)
        .containsExactly("[127.0.0.1]:5701", "[127.0.0.1]:5702", "[127.0.0.1]:5703", "[10.0.0.9]:6000");
  }

  @Test
  void aNameThatDoesNotResolveYetIsLeftOutUntilItDoes() {
    DnsMemberDiscovery discovery = new DnsMemberDiscovery(List.of("tasks.no-such-service.invalid", "127.0.0.1:5701"), 5801);

    assertThat(discovery.currentMembers()).extracting(Address::toString).containsExactly("[127.0.0.1]:5701");
  }

  @Test
  void hazelcastIsAnsweredWithTheMembersAtTheMomentItAsks() {
    DnsMemberDiscovery discovery = new DnsMemberDiscovery(List.of("127.0.0.1:5701"), 5801);

    List<Address> found = new ArrayList<>();
    for (DiscoveryNode node : discovery.newDiscoveryStrategy(null, null, java.util.Map.of()).discoverNodes()) {
      found.add(node.getPrivateAddress());
    }
    assertThat(found).extracting(Address::toString).containsExactly("[127.0.0.1]:5701");
  }
}
