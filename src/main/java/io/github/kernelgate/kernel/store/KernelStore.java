package io.github.kernelgate.kernel.store;

import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.RuntimeDirectory;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel records on disk: one file per kernel in a directory only the gateway's user may read
 * (records hold the kernels' keys), each written whole to a temporary file and moved into place,
 * so a crash mid-write leaves the old record or the new one, never half of one. A record that
 * cannot be read is named in the log and set aside ({@code .bad}), and costs no other kernel.
 * Blocking file I/O: call on a worker.
 */
public final class KernelStore {

  private static final Logger LOG = LoggerFactory.getLogger(KernelStore.class);
  private static final String SUFFIX = ".json";
  private static final Pattern KERNEL_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final Path directory;

  public KernelStore(Path directory) {
    this.directory = directory;
  }

  /** The store KG_STATE_DIR names, else {@code state} in the runtime directory. */
  public static KernelStore of(GatewayConfig config) {
    return new KernelStore(RuntimeDirectory.stateOf(config));
  }

  /**
   * The kernels a gateway with this configuration leaves to its lifecycle, which takes them over
   * (so no orphan sweep and no shutdown may touch them): those recorded, when persistence is on.
   */
  public static Set<String> idsToTakeOver(GatewayConfig config) throws IOException {
    return config.persistKernels() ? Set.copyOf(of(config).recordedIds()) : Set.of();
  }

  public Path directory() {
    return directory;
  }

  public void write(KernelRecord record) throws IOException {
    StateFiles.ensureDirectory(directory);
    StateFiles.writeAtomically(file(record.kernelId()), record.toJson().encodePrettily());
  }

  public void delete(String kernelId) throws IOException {
    Files.deleteIfExists(file(kernelId));
  }

  /** Every readable record; unreadable ones are logged by name and renamed to {@code <name>.bad}. */
  public List<KernelRecord> readAll() throws IOException {
    List<KernelRecord> records = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return records;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        try {
          KernelRecord record = KernelRecord.fromJson(new JsonObject(Files.readString(file, StandardCharsets.UTF_8)));
          if (!file.getFileName().toString().equals(record.kernelId() + SUFFIX)) {
            throw new IllegalArgumentException("it names kernel " + record.kernelId());
          }
          records.add(record);
        } catch (RuntimeException | IOException unreadable) {
          LOG.error("kernel record {} cannot be read and is set aside as {}.bad: {}", file, file.getFileName(), unreadable.getMessage());
          Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    return records;
  }

  /** The kernel ids with a record, read from the file names alone (what an orphan sweep must leave alone). */
  public List<String> recordedIds() throws IOException {
    List<String> ids = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return ids;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        ids.add(name.substring(0, name.length() - SUFFIX.length()));
      }
    }
    return ids;
  }

  private Path file(String kernelId) {
    if (!KERNEL_ID.matcher(kernelId).matches()) {
      throw new IllegalArgumentException("not a kernel id: " + kernelId);
    }
    return directory.resolve(kernelId + SUFFIX);
  }
}
