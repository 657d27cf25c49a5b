package io.github.kernelgate.proxy;

import io.github.kernelgate.protocol.ConnectionInfo;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh connection file for a local kernel: five free loopback ports and a new key, written
 * readable by the owner only (the key lets anyone drive the kernel). Blocking: call on a worker.
 */
final class LocalConnectionFile {

  private LocalConnectionFile() {
  }

  static ConnectionInfo allocate() throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      // Hold all five at once so they are distinct; the kernel binds them right after (the usual Jupyter race).
      for (int i = 0; i < 5; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return new ConnectionInfo("127.0.0.1", "tcp", held.get(0).getLocalPort(), held.get(1).getLocalPort(),
          held.get(2).getLocalPort(), held.get(3).getLocalPort(), held.get(4).getLocalPort(),
          UUID.randomUUID().toString(), "hmac-sha256");
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
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
