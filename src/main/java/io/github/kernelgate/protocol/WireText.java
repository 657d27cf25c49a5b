package io.github.kernelgate.protocol;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the framings: JSON parts to bytes and back. */
final class WireText {

  private WireText() {
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] encode(JsonObject json) {
    return utf8(json.encode());
  }

  /** A JSON string literal. Message ids and types are plain ASCII: those are quoted without Jackson (it showed in profiles). */
  static String quote(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
        return Json.encode(value);
      }
    }
    return '"' + value + '"';
  }

  /** Reads msg_id and msg_type from a header part, failing with a clear reason. */
  static ClientMessage toClientMessage(Channel channel, WireMessage message) {
    String[] header = HeaderFields.readAll(message.header(), "msg_id", "msg_type");
    String msgId = header[0];
    String msgType = header[1];
    if (msgId == null || msgType == null) {
      throw new FrameException("message header needs string fields msg_id and msg_type");
    }
    return new ClientMessage(channel, message, msgId, msgType);
  }
}
