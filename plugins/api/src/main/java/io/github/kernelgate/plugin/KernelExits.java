package io.github.kernelgate.plugin;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** How a proxy reports that a kernel it launched ended by itself (a crash, an exit), to every gateway on the bus. */
public final class KernelExits {

  private KernelExits() {
  }

  /**
   * Publishes {@link ProxyContract#KERNEL_EXITED}. {@code launchId} is the one of the launch that
   * started this process, so a late exit of a replaced process is never taken for the new one's;
   * {@code detail} (the last lines of its output) is shown to the user.
   */
  public static void publish(Vertx vertx, String kernelId, String launchId, int exitCode, String detail) {
    vertx.eventBus().publish(ProxyContract.KERNEL_EXITED, new JsonObject().put("kernel_id", kernelId).put("launch_id", launchId)
        .put("exit_code", exitCode).put("detail", detail == null ? "" : detail));
  }
}
