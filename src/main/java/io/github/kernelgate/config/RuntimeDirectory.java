package io.github.kernelgate.config;

import java.nio.file.Path;

/**
 * The gateway's directories on disk: the runtime directory, where local proxies keep connection
 * files, logs and the launcher (KG_RUNTIME_DIR or a per-user temp directory), and the state
 * directory, where kernel records and the instance's identity live (KG_STATE_DIR or
 * {@code state} in the runtime directory).
 */
public final class RuntimeDirectory {

  private RuntimeDirectory() {
  }

  public static Path of(GatewayConfig config) {
    return config.runtimeDir().isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "kernelgate-" + System.getProperty("user.name"))
        : Path.of(config.runtimeDir());
  }

  public static Path stateOf(GatewayConfig config) {
    return config.stateDir().isBlank() ? of(config).resolve("state") : Path.of(config.stateDir());
  }
}
