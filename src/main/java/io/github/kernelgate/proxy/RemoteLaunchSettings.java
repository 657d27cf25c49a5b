package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;

/** The launch parameters every remote launcher gets: port range and its limits, comm-port timeout. */
public record RemoteLaunchSettings(String portRange, int minPortRangeSize, int maxPortRangeRetries, long commTimeoutMillis) {

  public static RemoteLaunchSettings from(GatewayConfig config) {
    return new RemoteLaunchSettings(config.portRange(), config.minPortRangeSize(), config.maxPortRangeRetries(),
        config.commTimeoutSeconds() * 1000L);
  }

  /** The spec's {@code port_range} or the global one, checked as the launchers will check it. */
  public String validatedPortRange(String specRange) {
    String range = specRange == null || specRange.isBlank() ? portRange : specRange.trim();
    String[] parts = range.split("\\.\\.");
    try {
      if (parts.length != 2) {
        throw new NumberFormatException();
      }
      int lower = Integer.parseInt(parts[0]);
      int upper = Integer.parseInt(parts[1]);
      boolean any = lower == 0 && upper == 0;
      if (!any && (lower < 1024 || upper > 65535 || upper - lower < minPortRangeSize)) {
        throw new NumberFormatException();
      }
      return range;
    } catch (NumberFormatException invalid) {
      String text = "Port range validation failed for range: '" + range + "'. Range must be lower..upper within 1024..65535"
          + " and span at least " + minPortRangeSize + " ports (or be 0..0).";
      throw new GatewayException(500, text, text);
    }
  }
}
