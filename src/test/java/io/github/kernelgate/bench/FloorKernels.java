package io.github.kernelgate.bench;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.testsupport.DockerCli;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Kernels started without the gateway, for the floor figures: a bare local ipykernel, and the
 * kernel-py image under {@code docker run} with a connection file mounted in.
 */
final class FloorKernels {

  private FloorKernels() {
  }

  /** A kernel running with known connection info, and how to stop it. */
  record Running(ConnectionInfo info, AutoCloseable stop) {
  }

  static ConnectionInfo newConnection(String ip, boolean loopbackPorts) throws Exception {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < 5; i++) {
        held.add(loopbackPorts ? new ServerSocket(0, 1, InetAddress.getLoopbackAddress()) : new ServerSocket(0));
      }
      return new ConnectionInfo(ip, "tcp", held.get(0).getLocalPort(), held.get(1).getLocalPort(), held.get(2).getLocalPort(),
          held.get(3).getLocalPort(), held.get(4).getLocalPort(), UUID.randomUUID().toString(), "hmac-sha256");
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  private static Path write(Path dir, ConnectionInfo info, String bindIp) throws Exception {
    Files.createDirectories(dir);
    Path file = dir.resolve("kernel.json");
    Files.writeString(file, info.toJson().put("ip", bindIp).encode());
    // ipykernel rewrites its connection file, as the container's user (1000): let it.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
    return file;
  }

  static Running localIpykernel(Path dir) throws Exception {
    ConnectionInfo info = newConnection("127.0.0.1", true);
    Path file = write(dir, info, "127.0.0.1");
    ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", "-m", "ipykernel_launcher", "-f", file.toString())
        .redirectErrorStream(true).redirectOutput(new File(dir.toFile(), "kernel.log"));
    builder.environment().put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    Process process = builder.start();
    return new Running(info, () -> {
      process.destroyForcibly();
      process.waitFor();
    });
  }

  /** {@code docker run} of the kernel-py image with our connection file; connects at the container IP. */
  static Running dockerIpykernel(Path dir, String image) throws Exception {
    ConnectionInfo ports = newConnection("0.0.0.0", false);
    Path file = write(dir, ports, "0.0.0.0");
    String name = "kg-bench-floor-" + UUID.randomUUID();
    DockerCli.Result run = DockerCli.run("run", "-d", "--name", name, "--label", DockerCli.TEST_LABEL,
        "-v", dir.toAbsolutePath() + ":/conn",
        "-e", "KERNEL_ID=floor", "-e", "KERNEL_ARGV=[\"python3\", \"-m\", \"ipykernel_launcher\", \"-f\", \"/conn/kernel.json\"]", image);
    if (!run.ok()) {
      throw new IllegalStateException("docker run failed: " + run.output());
    }
    String ip = DockerCli.run("inspect", "-f", "{{.NetworkSettings.IPAddress}}", name).output();
    ConnectionInfo info = new ConnectionInfo(ip, "tcp", ports.shellPort(), ports.iopubPort(), ports.stdinPort(),
        ports.controlPort(), ports.hbPort(), ports.key(), "hmac-sha256");
    return new Running(info, () -> DockerCli.run("rm", "-f", name));
  }
}
