package io.github.kernelgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.KernelClient;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.Vertx;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Local kernels outlive a gateway killed with SIGKILL (they run in their own session). Without
 * persistence (KG_PERSIST_KERNELS=false) nothing takes them over: the next gateway of the same
 * instance finds them and removes them with KG_REMOVE_ORPHANS=true. Another gateway sharing the
 * runtime directory (with its own state directory, so another instance) never touches them.
 * DurableKernelsIT covers the default, where they are taken over.
 */
class OrphanedKernelsIT {

  private final Vertx vertx = Vertx.vertx();
  private final Path runtime = RunningGateway.repositoryPath("target/orphans-" + System.nanoTime());

  @AfterEach
  void close() {
    vertx.close().await();
  }

  private GatewayProcess gateway(String name, boolean removeOrphans) throws Exception {
    return gateway(name, removeOrphans, runtime.resolve("state"));
  }

  private GatewayProcess gateway(String name, boolean removeOrphans, Path stateDir) throws Exception {
    Files.createDirectories(runtime);
    Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
        "EG_IP", "127.0.0.1", "KG_RUNTIME_DIR", runtime.toString(), "EG_RESPONSE_IP", "127.0.0.1", "EG_RESPONSE_PORT", "0",
        "KG_KERNELSPEC_DIRS", RunningGateway.repositoryPath("kernelspecs") + "," + RunningGateway.repositoryPath("src/test/resources/kernelspecs"),
        "KG_REMOVE_ORPHANS", String.valueOf(removeOrphans), "KG_PERSIST_KERNELS", "false", "KG_STATE_DIR", stateDir.toString()));
    return GatewayProcess.start(env, new File(runtime.toFile(), name + ".log"));
  }

  /** The pid of the kernel's process, as the kernel itself reports it. */
  private long kernelPid(GatewayProcess gateway, String kernelId) {
    try (KernelClient client = KernelClient.connect(vertx, gateway.port(), kernelId, false, null)) {
      return Long.parseLong(client.execute("import os\nos.getpid()").result());
    }
  }

  private static boolean gone(long pid) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      if (System.currentTimeMillis() > deadline) {
        return false;
      }
      Thread.sleep(50);
    }
    return true;
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** Verifies that kernels of a killed gateway are removed by the next one with KG_REMOVE_ORPHANS, both local kinds. */
  @Test
  void kernelsOfAKilledGatewayAreRemovedByTheNext() throws Exception {
    long local;
    long launched;
    GatewayProcess killed = gateway("killed", false);
    try {
      Http http = killed.http();
      local = kernelPid(killed, http.startKernel("python3", RunningGateway.USER));
      launched = kernelPid(killed, http.startKernel("launcher_python", RunningGateway.USER));
    } finally {
      killed.kill();
    }
    assertThat(alive(local) && alive(launched)).as("local kernels outlive a SIGKILLed gateway").isTrue();

    try (GatewayProcess keeping = gateway("keeping", false)) {
      assertThat(alive(local) && alive(launched)).as("without KG_REMOVE_ORPHANS they are only reported").isTrue();
    }
    try (GatewayProcess cleaning = gateway("cleaning", true)) {
      assertThat(gone(local)).as("the local kernel is removed").isTrue();
      assertThat(gone(launched)).as("the launcher's kernel is removed with its launcher").isTrue();
    }
    try (var left = Files.list(runtime)) {
      assertThat(left.map(path -> path.getFileName().toString()))
          .as("no record, log or connection file of a removed kernel").noneMatch(name -> name.startsWith("kernel-") || name.startsWith("launcher-"));
    }
  }

  /**
   * Verifies that a gateway removing orphans leaves alone the kernels of another instance on the
   * same runtime directory, even with their own gateway gone; their own instance removes them.
   */
  @Test
  void anotherInstancesKernelsAreNeverOrphans() throws Exception {
    long pid;
    GatewayProcess first = gateway("first", false);
    try {
      pid = kernelPid(first, first.http().startKernel("python3", RunningGateway.USER));
    } finally {
      first.kill();
    }
    try (GatewayProcess stranger = gateway("stranger", true, runtime.resolve("other-state"))) {
      assertThat(alive(pid)).as("the orphan sweep at start is done once the API answers, and spared it").isTrue();
    }
    try (GatewayProcess cleaning = gateway("cleaning", true)) {
      assertThat(gone(pid)).as("its own instance removes it").isTrue();
    }
  }
}
