package io.github.kernelgate.proxy;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * A fresh connection file for a local kernel: five loopback ports reserved for it ({@link LocalPorts}) and a new key, written
 * readable by the owner only (the key lets anyone drive the kernel). Blocking: call on a worker.
 */
final class LocalConnectionFile {

  private LocalConnectionFile() {
  }

  static ConnectionInfo allocate(LocalPorts ports, String kernelId) throws IOException {
    List<Integer> reserved = ports.reserve(kernelId, 5);
    return new ConnectionInfo("127.0.0.1", "tcp", reserved.get(0), reserved.get(1), reserved.get(2), reserved.get(3),
        reserved.get(4), UUID.randomUUID().toString(), "hmac-sha256");
  }

  static Path write(Path directory, String kernelId, String kernelName, ConnectionInfo info) throws IOException {
    Path file = directory.resolve("kernel-" + kernelId + ".json");
    Files.deleteIfExists(file);
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    JsonObject json = info.toJson().put("kernel_name", kernelName == null ? "" : kernelName);
    Files.writeString(file, json.encodePrettily(), StandardCharsets.UTF_8);
    return file;
  }
}
