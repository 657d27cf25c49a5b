package io.github.kernelgate.plugin;

/** The verbs of the process-proxy contract; the address of each is {@code kernelgate.proxy.<proxy-name>.<verb>}. */
public final class ProxyVerbs {

  private ProxyVerbs() {
  }

  /** Body: {@link LaunchRequest} JSON. Reply: {@link LaunchResult} JSON. */
  public static final String LAUNCH = "launch";
  /** Body: {@code {kernel_id}}. Reply: {@code {alive: boolean}}. */
  public static final String POLL = "poll";
  /** Body: {@code {kernel_id, signum}}. Reply: {@code {}}. */
  public static final String SIGNAL = "signal";
  /** Body: {@code {kernel_id, timeout_ms}}. Reply: {@code {exited: boolean}}. */
  public static final String WAIT_EXIT = "wait-exit";
  /** Body: {@code {kernel_id}}. Reply: {@code {}} once the kernel is gone. */
  public static final String KILL = "kill";
  /** Body: {@code {kernel_id}}. Reply: {@code {}}. */
  public static final String CLEANUP = "cleanup";
  /** Body: {@code {kernel_id, launch_id, process_info}} (process_info as the launch answered it). Reply: {@code {alive: boolean}}. */
  public static final String ADOPT = "adopt";
}
