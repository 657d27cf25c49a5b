package io.github.kernelgate.api;

import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * EG's TLS settings on the API's server: EG_CERTFILE (and EG_KEYFILE) turn https and wss on for
 * the same port; EG_CLIENT_CA requires every client to present a certificate that CA signed;
 * EG_SSL_VERSION picks the TLS versions. The launch handshake's listener is not concerned.
 */
final class ServerTls {

  private static final Set<String> MODERN = Set.of("TLSv1.2", "TLSv1.3");

  private ServerTls() {
  }

  /** Whether the API speaks TLS. */
  static boolean enabled(GatewayConfig config) {
    return !config.certFile().isBlank();
  }

  /**
   * Applies the settings to {@code options}; a file that cannot be read or a version that is not
   * supported stops the gateway's start with a message naming the setting. Reads files: not on an event loop.
   */
  static void apply(HttpServerOptions options, GatewayConfig config) {
    if (!enabled(config)) {
      if (!config.keyFile().isBlank() || !config.clientCa().isBlank()) {
        throw new IllegalArgumentException("EG_KEYFILE and EG_CLIENT_CA need EG_CERTFILE, the server's certificate");
      }
      return;
    }
    String cert = readable("EG_CERTFILE", config.certFile());
    String key = config.keyFile().isBlank() ? cert : readable("EG_KEYFILE", config.keyFile());
    options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert).setKeyPath(key))
        .setEnabledSecureTransportProtocols(protocols(config.sslVersion()));
    if (!config.clientCa().isBlank()) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(readable("EG_CLIENT_CA", config.clientCa())))
          .setClientAuth(ClientAuth.REQUIRED);
    }
  }

  /** EG passes Python's ssl constant: 2 (PROTOCOL_TLS, any) or 5 (PROTOCOL_TLSv1_2); 3 and 4 (TLS 1.0, 1.1) are refused as broken. */
  static Set<String> protocols(String sslVersion) {
    String version = sslVersion.trim();
    return switch (version) {
      case "", "2", "PROTOCOL_TLS", "PROTOCOL_TLS_SERVER" -> MODERN;
      case "5", "PROTOCOL_TLSv1_2", "TLSv1.2" -> Set.of("TLSv1.2");
      case "TLSv1.3" -> Set.of("TLSv1.3");
      default -> throw new IllegalArgumentException("EG_SSL_VERSION " + version + " is not supported: use 2 (TLS 1.2 and 1.3), 5 or TLSv1.2,"
          + " or TLSv1.3 (TLS 1.0 and 1.1 are broken)");
    };
  }

  private static String readable(String setting, String file) {
    if (!Files.isReadable(Path.of(file))) {
      throw new IllegalArgumentException(setting + " " + file + " cannot be read");
    }
    return file;
  }
}
