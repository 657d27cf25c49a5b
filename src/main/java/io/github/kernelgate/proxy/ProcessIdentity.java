package io.github.kernelgate.proxy;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;

/**
 * Exactly one local process: its pid and start time (so a pid reused by another process is never
 * taken for it), and whether it leads a process group of its own (signals then go to the group).
 * Kept in a kernel's process info and in the process records, so a later gateway can find it.
 */
record ProcessIdentity(long pid, long startedMillis, boolean ownGroup) {

  static ProcessIdentity of(ProcessHandle process, boolean ownGroup) {
    return new ProcessIdentity(process.pid(), startMillis(process), ownGroup);
  }

  /** The identity in {@code json} ({@code pid}, {@code started}, {@code own_group}), if it has one. */
  static Optional<ProcessIdentity> fromJson(JsonObject json) {
    if (!(json.getValue("pid") instanceof Number pid) || !(json.getValue("started") instanceof Number started)) {
      return Optional.empty();
    }
    return Optional.of(new ProcessIdentity(pid.longValue(), started.longValue(), json.getBoolean("own_group", false)));
  }

  JsonObject toJson() {
    return new JsonObject().put("pid", pid).put("started", startedMillis).put("own_group", ownGroup);
  }

  /** The process, while it still runs. */
  Optional<ProcessHandle> find() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(process -> startMillis(process) == startedMillis);
  }

  static long startMillis(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
  }
}
