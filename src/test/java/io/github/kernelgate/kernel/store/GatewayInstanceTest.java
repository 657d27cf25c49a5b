package io.github.kernelgate.kernel.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A gateway instance: an id made once and kept, a configured id that wins, and one holder of the state directory at a time. */
class GatewayInstanceTest {

  @TempDir
  Path directory;

  @Test
  void theIdIsMadeOnceAndKeptInTheStateDirectory() throws Exception {
    Path state = directory.resolve("state");
    String first;
    try (GatewayInstance instance = GatewayInstance.claim(state, "")) {
      first = instance.id();
    }
    assertThat(first).matches("kg-[0-9a-f]{8}");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).isEqualTo("rwx------");
    try (GatewayInstance again = GatewayInstance.claim(state, null)) {
      assertThat(again.id()).as("the next start is the same instance").isEqualTo(first);
    }
    try (GatewayInstance named = GatewayInstance.claim(state, "blue-gateway")) {
      assertThat(named.id()).as("KG_INSTANCE_ID wins").isEqualTo("blue-gateway");
    }
  }

  @Test
  void aSecondHolderIsRefusedUntilTheFirstReleases() throws Exception {
    Path state = directory.resolve("state");
    GatewayInstance holder = GatewayInstance.claim(state, "");
    assertThatThrownBy(() -> GatewayInstance.claim(state, "")).hasMessageContaining(state + " is in use by another gateway");
    holder.close();
    try (GatewayInstance next = GatewayInstance.claim(state, "")) {
      assertThat(next.id()).isEqualTo(holder.id());
    }
  }

  @Test
  void aDamagedIdFileIsNamedNotReplaced() throws Exception {
    Path state = directory.resolve("state");
    Files.createDirectories(state);
    Files.writeString(state.resolve("instance-id"), "not an id!\n");
    assertThatThrownBy(() -> GatewayInstance.claim(state, "")).hasMessageContaining("instance-id does not hold an instance id");
    try (GatewayInstance named = GatewayInstance.claim(state, "green")) {
      assertThat(named.id()).as("the failed claim released the lock").isEqualTo("green");
    }
    assertThat(Files.readString(state.resolve("instance-id"))).as("and left the file for its owner to fix").contains("not an id!");
  }
}
