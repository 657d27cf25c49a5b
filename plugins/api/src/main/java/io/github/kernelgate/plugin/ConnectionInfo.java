package io.github.kernelgate.plugin;

import io.vertx.core.json.JsonObject;

/**
 * Where a kernel's sockets are and how to sign for it: the content of a Jupyter connection file
 * (or of a launcher's handshake payload), with {@code ip} being the address the gateway connects to.
 */
public record ConnectionInfo(String ip, String transport, int shellPort, int iopubPort, int stdinPort,
                             int controlPort, int hbPort, String key, String signatureScheme) {

  public ConnectionInfo {
    if (!"hmac-sha256".equals(signatureScheme) && !(key == null || key.isEmpty())) {
      throw new IllegalArgumentException("unsupported signature scheme " + signatureScheme);
    }
  }

  public static ConnectionInfo fromJson(JsonObject json) {
    return new ConnectionInfo(json.getString("ip", "127.0.0.1"), json.getString("transport", "tcp"),
        port(json, "shell_port"), port(json, "iopub_port"), port(json, "stdin_port"),
        port(json, "control_port"), port(json, "hb_port"),
        json.getString("key", ""), json.getString("signature_scheme", "hmac-sha256"));
  }

  private static int port(JsonObject json, String field) {
    Object value = json.getValue(field);
    int port = value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value).trim());
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException(field + " is not a port: " + value);
    }
    return port;
  }

  public JsonObject toJson() {
    return new JsonObject().put("ip", ip).put("transport", transport)
        .put("shell_port", shellPort).put("iopub_port", iopubPort).put("stdin_port", stdinPort)
        .put("control_port", controlPort).put("hb_port", hbPort)
        .put("key", key).put("signature_scheme", signatureScheme);
  }

  public String endpoint(int port) {
    return transport + "://" + ip + ":" + port;
  }

  /** For logs: never the key. */
  @Override
  public String toString() {
    return "ConnectionInfo[" + ip + " shell=" + shellPort + " iopub=" + iopubPort + " stdin=" + stdinPort
        + " control=" + controlPort + " hb=" + hbPort + "]";
  }
}
