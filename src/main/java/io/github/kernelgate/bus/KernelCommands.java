package io.github.kernelgate.bus;

import java.util.List;
import java.util.Set;

/**
 * The kernel and session commands the API sends to the lifecycle (its own replica's, or another
 * replica's through its door), and how long a caller waits for each: starts and restarts carry
 * their own launch timeouts, so the bus must not give up before them.
 */
public final class KernelCommands {

  private static final long LAUNCH_TIMEOUT_MILLIS = 24L * 3600 * 1000;
  private static final long COMMAND_TIMEOUT_MILLIS = 120_000;
  /** Answered from memory by the owner (an interrupt only signals): a replica that died mid-request is not waited for long. */
  private static final long QUICK_TIMEOUT_MILLIS = 15_000;
  private static final Set<String> QUICK = Set.of(Addresses.KERNEL_LIST, Addresses.KERNEL_GET, Addresses.KERNEL_INTERRUPT,
      Addresses.SESSION_LIST, Addresses.SESSION_GET);
  private static final Set<String> LAUNCHING = Set.of(Addresses.KERNEL_START, Addresses.KERNEL_RESTART, Addresses.SESSION_CREATE,
      Addresses.SESSION_UPDATE, Addresses.KERNEL_TAKE_OVER);

  /** What one replica answers for another (a start is always served where it was asked). */
  public static final List<String> FORWARDED = List.of(Addresses.KERNEL_LIST, Addresses.KERNEL_GET, Addresses.KERNEL_SHUTDOWN,
      Addresses.KERNEL_INTERRUPT, Addresses.KERNEL_RESTART, Addresses.SESSION_CREATE, Addresses.SESSION_LIST, Addresses.SESSION_GET,
      Addresses.SESSION_UPDATE, Addresses.SESSION_DELETE);

  /**
   * The field of a start (kernel or session) that names the HTTP request asking for it, set by the
   * API, so {@link Addresses#KERNEL_START_ABANDONED} can end that start when its client hangs up.
   */
  public static final String START_REQUEST = "start_request";

  private KernelCommands() {
  }

  public static long timeoutMillis(String address) {
    return LAUNCHING.contains(address) ? LAUNCH_TIMEOUT_MILLIS : QUICK.contains(address) ? QUICK_TIMEOUT_MILLIS : COMMAND_TIMEOUT_MILLIS;
  }
}
