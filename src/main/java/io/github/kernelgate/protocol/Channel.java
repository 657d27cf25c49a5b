package io.github.kernelgate.protocol;

import java.util.Locale;
import java.util.Optional;

/** The Jupyter channels a WebSocket client can see. The heartbeat never reaches clients. */
public enum Channel {
  SHELL, IOPUB, STDIN, CONTROL;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  /** The channel of a wire name, or empty for an unknown one. */
  public static Optional<Channel> fromWireName(String name) {
    for (Channel channel : values()) {
      if (channel.wireName.equals(name)) {
        return Optional.of(channel);
      }
    }
    return Optional.empty();
  }
}
