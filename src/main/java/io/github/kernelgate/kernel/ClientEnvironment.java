package io.github.kernelgate.kernel;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code env} of a start request, filtered and checked at the API boundary: only
 * {@code KERNEL_*} keys and the names of EG_CLIENT_ENVS ({@code *} allows every key) are kept;
 * every kept name must be a portable variable name ({@code [A-Za-z_][A-Za-z0-9_]*}: a newline or
 * {@code =} in a name would forge other variables), and every kept value a string of at most 4096
 * characters without {@code $}, backtick, CR, LF or NUL. Errors name the key, never the value.
 */
final class ClientEnvironment {

  static final int MAX_VALUE_LENGTH = 4096;
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ClientEnvironment() {
  }

  static Map<String, String> filter(Object env, List<String> clientEnvs) {
    Map<String, String> kept = new TreeMap<>();
    if (env == null) {
      return kept;
    }
    if (!(env instanceof JsonObject object)) {
      throw GatewayException.badRequest("'env' must be a JSON object");
    }
    boolean allowAll = clientEnvs.contains("*");
    for (Map.Entry<String, Object> entry : object) {
      String key = entry.getKey();
      if (!key.startsWith("KERNEL_") && !allowAll && !clientEnvs.contains(key)) {
        continue;
      }
      if (!VARIABLE_NAME.matcher(key).matches()) {
        throw GatewayException.badRequest("Environment variable name " + new JsonArray().add(key).encode()
            + " is invalid: names must match [A-Za-z_][A-Za-z0-9_]*");
      }
      if (!(entry.getValue() instanceof String value)) {
        throw GatewayException.badRequest("Environment variable '" + key + "' value must be a string");
      }
      if (value.length() > MAX_VALUE_LENGTH) {
        throw GatewayException.badRequest("Environment variable '" + key + "' value exceeds maximum length of " + MAX_VALUE_LENGTH);
      }
      if (hasProhibitedCharacter(value)) {
        throw GatewayException.badRequest("Environment variable '" + key + "' value contains prohibited characters");
      }
      kept.put(key, value);
    }
    return kept;
  }

  private static boolean hasProhibitedCharacter(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '$' || c == '`' || c == '\n' || c == '\r' || c == '\0') {
        return true;
      }
    }
    return false;
  }
}
