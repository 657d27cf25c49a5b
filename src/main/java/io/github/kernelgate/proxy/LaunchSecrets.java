package io.github.kernelgate.proxy;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * One-time launch secrets: each remote launch gets a fresh one in the launcher's environment,
 * and KernelGate's launcher returns it inside the encrypted payload, so a payload forged with
 * the (public) key of the gateway is told apart from the real one.
 */
final class LaunchSecrets {

  /** The launcher's environment variable (client values of it are overwritten). */
  static final String ENV = "KERNEL_LAUNCH_SECRET";
  private static final SecureRandom RANDOM = new SecureRandom();

  private LaunchSecrets() {
  }

  static String next() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
