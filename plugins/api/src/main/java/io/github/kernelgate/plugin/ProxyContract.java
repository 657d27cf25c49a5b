package io.github.kernelgate.plugin;

/**
 * The process-proxy contract as it crosses the event bus: its version, the addresses and the
 * event a proxy publishes. {@code plugins/README.md} describes every verb, body, timeout and error.
 */
public final class ProxyContract {

  /**
   * The contract's version. A plugin compiled against this API records it ({@link ProxyPlugin#contractVersion()});
   * a gateway loads plugins of its own version or older, and refuses newer ones by name.
   */
  public static final int VERSION = 1;

  /** Published by a proxy when a kernel it launched ends by itself: {@code {kernel_id, launch_id, exit_code, detail}}. */
  public static final String KERNEL_EXITED = "kernelgate.proxy.kernel-exited";

  private ProxyContract() {
  }

  /** A proxy's address for one verb: {@code kernelgate.proxy.<proxy-name>.<verb>} (verbs: {@link ProxyVerbs}). */
  public static String address(String proxyName, String verb) {
    return "kernelgate.proxy." + proxyName + "." + verb;
  }
}
