package io.github.kernelgate.kernel.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kernel records on disk: round trip, owner-only files, and bad records set aside without costing the others. */
class KernelStoreTest {

  private static final String ID = "0f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6";
  private static final String OTHER = "1f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6";

  @TempDir
  Path directory;

  private static KernelRecord record(String kernelId) {
    return new KernelRecord(kernelId, "python_container", "docker", "ada", Map.of("KERNEL_USERNAME", "ada"), null, 60_000, "launch-1",
        new JsonObject().put("ip", "172.17.0.5").put("key", "secret").put("shell_port", 1), new JsonObject().put("comm_port", 2),
        new JsonArray().add(new JsonObject().put("id", "s-1").put("path", "a.ipynb").put("name", "a").put("type", "notebook")));
  }

  @Test
  void aRecordReadsBackAsWrittenAndOnlyItsOwnerMayReadIt() throws Exception {
    KernelStore store = new KernelStore(directory.resolve("state"));
    store.write(record(ID));

    assertThat(store.readAll()).containsExactly(record(ID));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("state")))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("state/" + ID + ".json")))).isEqualTo("rw-------");
    assertThat(store.recordedIds()).containsExactly(ID);
    store.delete(ID);
    assertThat(store.readAll()).isEmpty();
  }

  @Test
  void corruptTruncatedAndForeignRecordsAreSetAsideAndTheOthersRead() throws Exception {
    KernelStore store = new KernelStore(directory);
    store.write(record(ID));
    Files.writeString(directory.resolve("2f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"), "{\"version\": 1, \"kernel_id\": \"2f8e");
    Files.writeString(directory.resolve("3f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"), "not json at all");
    Files.writeString(directory.resolve("4f8e2c1a-1b2c-4d3e-8f90-a1b2c3d4e5f6.json"), record(ID).toJson().put("version", 99).encode());
    Files.writeString(directory.resolve(OTHER + ".json"), record(ID).toJson().encode());

    assertThat(store.readAll()).containsExactly(record(ID));
    try (var files = Files.list(directory)) {
      assertThat(files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".bad"))).hasSize(4);
    }
  }
}
