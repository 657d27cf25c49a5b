package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import java.nio.file.Path;

/** Where local proxies keep connection files, logs and the launcher: KG_RUNTIME_DIR or a per-user temp directory. */
public final class RuntimeDirectory {

  private RuntimeDirectory() {
  }

  public static Path of(GatewayConfig config) {
    return config.runtimeDir().isBlank()
        ? Path.of(System.getProperty("java.io.tmpdir"), "kernelgate-" + System.getProperty("user.name"))
        : Path.of(config.runtimeDir());
  }
}
