package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import java.math.BigInteger;
import java.util.List;
import java.util.regex.Pattern;

/**
 * KERNEL_UID / KERNEL_GID as EG checks them: Python int() syntax (spaces, a sign, leading zeros,
 * digit underscores), 0..4294967295, and not in EG_PROHIBITED_UIDS / EG_PROHIBITED_GIDS (root by
 * default). A prohibited list with a non-integer entry refuses every container kernel (fail closed).
 */
final class KernelIdentity {

  private static final Pattern PYTHON_INT = Pattern.compile("[+-]?\\d(_?\\d)*");
  private static final BigInteger MAX = BigInteger.valueOf(4_294_967_295L);

  private KernelIdentity() {
  }

  /** The normalized decimal value of {@code value} (or of {@code fallback} when absent). */
  static String check(String name, String value, String fallback, List<String> prohibited) {
    String text = value == null ? fallback : value;
    String trimmed = text.strip();
    if (!PYTHON_INT.matcher(trimmed).matches()) {
      throw GatewayException.forbidden("Invalid " + name + " value '" + text + "': not a valid integer!");
    }
    BigInteger number = new BigInteger(trimmed.replace("_", "").replace("+", ""));
    if (number.signum() < 0 || number.compareTo(MAX) > 0) {
      throw GatewayException.forbidden("Invalid " + name + " value '" + text + "': must be in range 0-4294967295!");
    }
    String listName = name.equals("KERNEL_UID") ? "EG_PROHIBITED_UIDS" : "EG_PROHIBITED_GIDS";
    for (String entry : prohibited) {
      if (!PYTHON_INT.matcher(entry.strip()).matches()) {
        throw GatewayException.forbidden(listName + " has a non-integer entry '" + entry + "': container kernels are refused");
      }
      if (new BigInteger(entry.strip().replace("_", "").replace("+", "")).equals(number)) {
        throw GatewayException.forbidden("Kernel's " + (name.equals("KERNEL_UID") ? "UID" : "GID") + " value of '" + text
            + "' has been denied via " + listName + "!");
      }
    }
    return number.toString();
  }
}
