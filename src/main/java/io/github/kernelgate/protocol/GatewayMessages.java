package io.github.kernelgate.protocol;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Messages the gateway writes itself: its own requests to kernels and synthetic status messages. */
public final class GatewayMessages {

  public static final String PROTOCOL_VERSION = "5.3";
  /** The session of the gateway's own requests (kernel_info, interrupts, shutdown): no client has it. */
  public static final String GATEWAY_SESSION = UUID.randomUUID().toString();

  private GatewayMessages() {
  }

  /** A new message of {@code msgType} from the gateway; {@code session} names the sender. */
  public static WireMessage create(String msgType, String session, JsonObject content) {
    JsonObject header = new JsonObject()
        .put("msg_id", UUID.randomUUID().toString())
        .put("msg_type", msgType)
        .put("username", "kernelgate")
        .put("session", session == null ? GATEWAY_SESSION : session)
        .put("date", Instant.now().toString())
        .put("version", PROTOCOL_VERSION);
    return new WireMessage(WireText.encode(header), WireText.utf8("{}"), WireText.utf8("{}"), WireText.encode(content), List.of());
  }

  /** An iopub status message built by the gateway (restarting, starting, dead). */
  public static WireMessage status(String executionState, String session) {
    return create("status", session, new JsonObject().put("execution_state", executionState));
  }

  public static String msgId(WireMessage message) {
    return HeaderFields.read(message.header(), "msg_id");
  }
}
