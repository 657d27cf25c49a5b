package io.github.kernelgate.proxy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record on disk of each local process a gateway started or took over: the process's
 * identity, the gateway instance it belongs to, and the gateway process that watches it now.
 * Local kernels run in their own session, so they outlive a gateway killed with SIGKILL; the
 * records let the next gateway of the same instance find them. A record is an orphan only when it
 * is this instance's, its gateway process is gone, its process still runs, and no kernel record
 * will take it over; the kernels of another instance, or of a live gateway, are never orphans.
 * Blocking file I/O: workers only.
 */
final class ProcessRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRecords.class);
  private static final String SUFFIX = ".pid";

  /** A process whose gateway is gone. */
  record Orphan(String kernelId, ProcessIdentity process, Path record) {
  }

  private final Path directory;
  private final String prefix;
  private final String instanceId;

  /** {@code prefix} tells apart the proxies sharing one runtime directory. */
  ProcessRecords(Path directory, String prefix, String instanceId) {
    this.directory = directory;
    this.prefix = prefix + "-";
    this.instanceId = instanceId;
  }

  void write(String kernelId, ProcessIdentity process) throws IOException {
    ProcessIdentity gateway = ProcessIdentity.of(ProcessHandle.current(), false);
    JsonObject record = process.toJson().put("kernel_id", kernelId).put("instance", instanceId)
        .put("gateway_pid", gateway.pid()).put("gateway_started", gateway.startedMillis());
    Files.writeString(path(kernelId), record.encode());
  }

  void delete(String kernelId) {
    try {
      Files.deleteIfExists(path(kernelId));
    } catch (IOException unreadable) {
      LOG.atDebug().addKeyValue("kernel_id", kernelId).log("process record not deleted: {}", unreadable.getMessage());
    }
  }

  /**
   * This instance's processes left by a gateway that is gone, except those of {@code toTakeOver}
   * (kernels recorded for the lifecycle to take over); this instance's records of processes that
   * ended are deleted.
   */
  List<Orphan> orphans(Set<String> toTakeOver) throws IOException {
    List<Orphan> orphans = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return orphans;
    }
    try (DirectoryStream<Path> records = Files.newDirectoryStream(directory, prefix + "*" + SUFFIX)) {
      for (Path file : records) {
        read(file).filter(record -> instanceId.equals(record.getString("instance"))).ifPresent(record -> {
          ProcessIdentity gateway = new ProcessIdentity(record.getLong("gateway_pid"), record.getLong("gateway_started", 0L), false);
          if (gateway.find().isPresent() || toTakeOver.contains(record.getString("kernel_id"))) {
            return;
          }
          Optional<ProcessIdentity> process = ProcessIdentity.fromJson(record);
          if (process.flatMap(ProcessIdentity::find).isPresent()) {
            orphans.add(new Orphan(record.getString("kernel_id"), process.get(), file));
          } else {
            deleteQuietly(file);
          }
        });
      }
    }
    return orphans;
  }

  /** A removed orphan leaves nothing: its record, and its log and connection file named like it. */
  void forget(Orphan orphan) {
    deleteQuietly(orphan.record());
    deleteQuietly(directory.resolve(prefix + orphan.kernelId() + ".log"));
    deleteQuietly(directory.resolve(prefix + orphan.kernelId() + ".json"));
  }

  private Optional<JsonObject> read(Path file) {
    try {
      JsonObject record = new JsonObject(Files.readString(file));
      return record.getValue("pid") instanceof Number && record.getValue("gateway_pid") instanceof Number
          ? Optional.of(record) : Optional.empty();
    } catch (IOException | DecodeException unreadable) {
      LOG.atWarn().addKeyValue("file", file).log("unreadable process record ignored: {}", unreadable.getMessage());
      return Optional.empty();
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // A stale record: the next scan tries again.
    }
  }

  private Path path(String kernelId) {
    return directory.resolve(prefix + kernelId + SUFFIX);
  }
}
