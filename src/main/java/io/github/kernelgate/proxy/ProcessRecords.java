package io.github.kernelgate.proxy;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record on disk of each local process a gateway started: its pid and start time, and the
 * gateway's. Local kernels run in their own session, so they outlive a gateway killed with
 * SIGKILL; the records let the next gateway find them. A record is an orphan only when its
 * gateway is gone and its process still runs (same start time, so a reused pid is never taken
 * for it); another live gateway's kernels are never orphans. Blocking file I/O: workers only.
 */
final class ProcessRecords {

  private static final Logger LOG = LoggerFactory.getLogger(ProcessRecords.class);
  private static final String SUFFIX = ".pid";

  /** A process whose gateway is gone. */
  record Orphan(String kernelId, long pid, boolean ownGroup, Path record) {
  }

  private final Path directory;
  private final String prefix;

  /** {@code prefix} tells apart the proxies sharing one runtime directory. */
  ProcessRecords(Path directory, String prefix) {
    this.directory = directory;
    this.prefix = prefix + "-";
  }

  void write(String kernelId, ProcessHandle process, boolean ownGroup) throws IOException {
    ProcessHandle gateway = ProcessHandle.current();
    JsonObject record = new JsonObject().put("kernel_id", kernelId).put("pid", process.pid()).put("own_group", ownGroup)
        .put("started", startMillis(process)).put("gateway_pid", gateway.pid()).put("gateway_started", startMillis(gateway));
    Files.writeString(path(kernelId), record.encode());
  }

  void delete(String kernelId) {
    try {
      Files.deleteIfExists(path(kernelId));
    } catch (IOException unreadable) {
      LOG.debug("process record not deleted [kernel_id={}]: {}", kernelId, unreadable.getMessage());
    }
  }

  /** Processes left by gateways that are gone; records of processes that ended too are deleted. */
  List<Orphan> orphans() throws IOException {
    List<Orphan> orphans = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return orphans;
    }
    try (DirectoryStream<Path> records = Files.newDirectoryStream(directory, prefix + "*" + SUFFIX)) {
      for (Path file : records) {
        read(file).ifPresent(record -> {
          if (isRunning(record.getLong("gateway_pid"), record.getLong("gateway_started"))) {
            return;
          }
          if (isRunning(record.getLong("pid"), record.getLong("started"))) {
            orphans.add(new Orphan(record.getString("kernel_id"), record.getLong("pid"), record.getBoolean("own_group", false), file));
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
      LOG.warn("unreadable process record ignored [file={}]: {}", file, unreadable.getMessage());
      return Optional.empty();
    }
  }

  private static boolean isRunning(Long pid, Long startedMillis) {
    return pid != null && ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
        .map(process -> startedMillis == null || startedMillis == startMillis(process)).orElse(false);
  }

  private static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
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
