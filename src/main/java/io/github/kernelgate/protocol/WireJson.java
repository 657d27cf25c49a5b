package io.github.kernelgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * Parses a whole Jupyter message's JSON. Jackson's default caps one string at 20 MB, and
 * Vert.x's {@code new JsonObject(text)} keeps that cap, while a cell's code or a comm message may
 * be as large as KG_WS_MAX_MESSAGE_BYTES: the message limit is the only limit here.
 */
public final class WireJson {

  /** Jackson without its string cap; also for streaming reads of whole messages. */
  static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();
  private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private WireJson() {
  }

  /** The object in {@code json}; a DecodeException when it is not a JSON object. */
  public static JsonObject object(String json) {
    try {
      return wrap(MAPPER.readValue(json, Object.class));
    } catch (IOException bad) {
      throw new DecodeException("Failed to decode: " + bad.getMessage());
    }
  }

  /** The object in the UTF-8 bytes {@code json}; a DecodeException when it is not a JSON object. */
  public static JsonObject object(byte[] json) {
    try {
      return wrap(MAPPER.readValue(json, Object.class));
    } catch (IOException bad) {
      throw new DecodeException("Failed to decode: " + bad.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject wrap(Object parsed) {
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new DecodeException("not a JSON object");
    }
    return new JsonObject((Map<String, Object>) map);
  }
}
