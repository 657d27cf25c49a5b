package io.github.kernelgate.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The project version, written into a resource by the build. */
public final class GatewayVersion {

  private static final String VERSION = read();

  private GatewayVersion() {
  }

  public static String current() {
    return VERSION;
  }

  private static String read() {
    Properties properties = new Properties();
    try (InputStream in = GatewayVersion.class.getResourceAsStream("/kernelgate-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException unreadable) {
      return "unknown";
    }
    return properties.getProperty("version", "unknown");
  }
}
