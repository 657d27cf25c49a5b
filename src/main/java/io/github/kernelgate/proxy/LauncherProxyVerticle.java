package io.github.kernelgate.proxy;

import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.RuntimeDirectory;
import io.github.kernelgate.kernel.store.KernelStore;
import io.github.kernelgate.plugin.ProxyEndpoint;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * Serves the launcher proxy on {@code kernelgate.proxy.launcher.*}: kernels started through
 * KernelGate's kernel launcher as local processes, over the same handshake and comm port as
 * container kernels. The launcher script ships in the jar and is written to the runtime
 * directory at start. Orphans and stop are dealt with as by {@link LocalProxyVerticle}.
 */
public final class LauncherProxyVerticle extends VerticleBase {

  private static final String LAUNCHER_RESOURCE = "/launcher/kernelgate_launcher.py";

  private GatewayConfig config;
  private LauncherRuntime runtime;

  @Override
  public Future<?> start() {
    config = GatewayConfig.fromJson(config());
    Path runtimeDir = RuntimeDirectory.of(config);
    return vertx.executeBlocking(() -> extractLauncher(runtimeDir), false).compose(script -> {
      runtime = new LauncherRuntime(vertx, runtimeDir, List.of(config.launcherPython(), script.toString()),
          config.localProcessEnvironment(), config.instanceId());
      return vertx.executeBlocking(() -> {
        runtime.handleOrphans(config.removeOrphans(), KernelStore.idsToTakeOver(config));
        return null;
      }, false);
    }).compose(done -> ProxyEndpoint.exposeInThisProcess(vertx, ProxyNames.LAUNCHER, new RemoteProcessProxy(vertx, runtime, RemoteLaunchSettings.from(config))));
  }

  @Override
  public Future<?> stop() {
    return vertx.executeBlocking(() -> {
      if (runtime != null) {
        runtime.killAllBut(KernelStore.idsToTakeOver(config));
      }
      return null;
    }, false);
  }

  private static Path extractLauncher(Path runtimeDir) throws IOException {
    Files.createDirectories(runtimeDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path script = runtimeDir.resolve("kernelgate_launcher.py");
    try (InputStream in = LauncherProxyVerticle.class.getResourceAsStream(LAUNCHER_RESOURCE)) {
      if (in == null) {
        throw new IOException("the kernel launcher is missing from the classpath: " + LAUNCHER_RESOURCE);
      }
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    return script;
  }
}
