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
    return readAll(json, field)[0];
  }

  /** The string values of several top-level fields in one pass, in the order asked (null where absent or not a string). */
  public static String[] readAll(byte[] json, String... fields) {
    String[] values = new String[fields.length];
    boolean[] seen = new boolean[fields.length];
    int found = 0;
    try (JsonParser parser = FACTORY.createParser(json)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return values;
      }
      while (found < fields.length && parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        JsonToken value = parser.nextToken();
        for (int i = 0; i < fields.length; i++) {
          if (!seen[i] && name.equals(fields[i])) {
            seen[i] = true;
            found++;
            values[i] = value == JsonToken.VALUE_STRING ? parser.getText() : null;
          }
        }
        parser.skipChildren();
      }
    } catch (IOException notJson) {
      // What was read before the damage stands.
    }
    return values;
  }
}
