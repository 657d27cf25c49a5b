package io.github.kernelgate.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads one top-level string field of a JSON object part without building a tree: the hot path
 * only needs msg_id, msg_type and execution_state.
 */
public final class HeaderFields {

  private static final JsonFactory FACTORY = new JsonFactory();

  private HeaderFields() {
  }

  /** The string value of top-level {@code field}, or null when absent, not a string or not JSON. */
  public static String read(byte[] json, String field) {
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        if (name.equals(field)) {
          return value == JsonToken.VALUE_STRING ? parser.getText() : null;
        }
        parser.skipChildren();
      }
      return null;
    } catch (IOException notJson) {
      return null;
    }
  }
}
