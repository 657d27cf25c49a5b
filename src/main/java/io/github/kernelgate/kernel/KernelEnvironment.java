package io.github.kernelgate.kernel;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.kernelspec.KernelSpec;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment a kernel is started with, lowest first: the EG_INHERITED_ENVS values, the
 * client's filtered variables, the kernelspec's {@code env} (with {@code $VAR}/{@code ${VAR}}
 * taken from what is assembled so far), the client's variables again (they win over the spec),
 * then the gateway's own: KERNEL_ID, KERNEL_USERNAME, KERNEL_LANGUAGE, KERNEL_GATEWAY=1. Never
 * the gateway's whole environment, never its auth token.
 */
public final class KernelEnvironment {

  private static final Pattern REFERENCE = Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)}|([A-Za-z_][A-Za-z0-9_]*))");

  private KernelEnvironment() {
  }

  public static Map<String, String> build(Map<String, String> inherited, Map<String, String> client, KernelSpec spec,
                                   String kernelId, String username) {
    Map<String, String> env = new TreeMap<>(inherited);
    env.putAll(client);
    spec.env().forEach(entry -> env.put(entry.getKey(), substitute(String.valueOf(entry.getValue()), env)));
    env.putAll(client);
    env.put("KERNEL_ID", kernelId);
    env.put("KERNEL_USERNAME", username);
    if (!client.containsKey("KERNEL_LANGUAGE") && !spec.env().containsKey("KERNEL_LANGUAGE")) {
      String language = spec.language().toLowerCase(Locale.ROOT);
      env.put("KERNEL_LANGUAGE", language.isEmpty() ? "unknown-kernel-language" : language);
    }
    env.put("KERNEL_GATEWAY", "1");
    env.remove("EG_AUTH_TOKEN");
    env.remove("KG_AUTH_TOKEN");
    return env;
  }

  /** Like Python's safe_substitute: unknown references stay as they are. */
  static String substitute(String value, Map<String, String> env) {
    Matcher matcher = REFERENCE.matcher(value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String name = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      String replacement = env.get(name);
      matcher.appendReplacement(result, Matcher.quoteReplacement(replacement == null ? matcher.group() : replacement));
    }
    matcher.appendTail(result);
    return result.toString();
  }

  /** KERNEL_LAUNCH_TIMEOUT in seconds (a number) or the configured default. */
  static long launchTimeoutMillis(Map<String, String> client, int defaultSeconds) {
    String value = client.get("KERNEL_LAUNCH_TIMEOUT");
    if (value == null || value.isBlank()) {
      return defaultSeconds * 1000L;
    }
    try {
      double seconds = Double.parseDouble(value.trim());
      if (!(seconds > 0) || seconds > 86_400) {
        throw new NumberFormatException();
      }
      return (long) (seconds * 1000);
    } catch (NumberFormatException bad) {
      throw GatewayException.badRequest("KERNEL_LAUNCH_TIMEOUT must be a number of seconds between 0 and 86400");
    }
  }
}
