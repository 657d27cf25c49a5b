package io.github.kernelgate.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a client's legacy JSON message into its parts as the client wrote them: one streaming pass
 * cuts out header, parent_header, metadata and content, instead of building a tree and encoding
 * each part again (that showed as 8% of the event loop in the round-trip profile). The whole text
 * is still parsed, so malformed JSON is refused as before.
 */
final class LegacyJsonParts {

  /** Part fields, in {@link WireMessage} order; all but the header may be missing or null ({@code {}}). */
  private static final List<String> PART_FIELDS = List.of("header", "parent_header", "metadata", "content");
  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  private LegacyJsonParts() {
  }

  /** The message in a text frame. */
  static ClientMessage read(String text, String notAnObject) {
    try (JsonParser parser = WireJson.FACTORY.createParser(text)) {
      return read(parser, (start, end) -> text.substring((int) start, (int) end).getBytes(StandardCharsets.UTF_8),
          JsonLocation::getCharOffset, List.of(), notAnObject);
    } catch (IOException malformed) {
      throw new FrameException(notAnObject);
    }
  }

  /** The message whose JSON is {@code utf8} (the first part of a binary frame), with its buffers. */
  static ClientMessage read(byte[] utf8, List<byte[]> buffers, String notAnObject) {
    try (JsonParser parser = WireJson.FACTORY.createParser(utf8)) {
      return read(parser, (start, end) -> Arrays.copyOfRange(utf8, (int) start, (int) end),
          JsonLocation::getByteOffset, buffers, notAnObject);
    } catch (IOException malformed) {
      throw new FrameException(notAnObject);
    }
  }

  private interface Slicer {
    byte[] slice(long start, long end);
  }

  private interface Offsets {
    long of(JsonLocation location);
  }

  private static ClientMessage read(JsonParser parser, Slicer slicer, Offsets offsets, List<byte[]> buffers, String notAnObject)
      throws IOException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new FrameException(notAnObject);
    }
    byte[][] parts = new byte[PART_FIELDS.size()][];
    boolean channelGiven = false;
    boolean channelIsText = false;
    String channelName = "shell";
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String field = parser.currentName();
      JsonToken value = parser.nextToken();
      int part = PART_FIELDS.indexOf(field);
      if (part >= 0) {
        parts[part] = partValue(parser, value, field, part > 0, slicer, offsets);
      } else {
        if ("channel".equals(field)) {
          channelGiven = true;
          channelIsText = value == JsonToken.VALUE_STRING;
          channelName = value.isScalarValue() ? parser.getText() : value.asString();
        }
        parser.skipChildren();
      }
    }
    if (parts[0] == null) {
      throw new FrameException("message field header must be a JSON object");
    }
    Channel channel = !channelGiven ? Channel.SHELL : channelIsText ? Channel.fromWireName(channelName).orElse(null) : null;
    if (channel == null || channel == Channel.IOPUB) {
      throw new FrameException("unknown channel " + channelName);
    }
    WireMessage message = new WireMessage(parts[0], orEmpty(parts[1]), orEmpty(parts[2]), orEmpty(parts[3]), buffers);
    return WireText.toClientMessage(channel, message);
  }

  /** The bytes of one part's object as written; null for a missing part, or a null where that is allowed. */
  private static byte[] partValue(JsonParser parser, JsonToken value, String field, boolean optional, Slicer slicer, Offsets offsets)
      throws IOException {
    if (value == JsonToken.START_OBJECT) {
      long start = offsets.of(parser.currentTokenLocation());
      parser.skipChildren();
      // After the closing brace: the location of the next unread input, so the end is exclusive.
      return slicer.slice(start, offsets.of(parser.currentLocation()));
    }
    if (value == JsonToken.VALUE_NULL && optional) {
      return null;
    }
    throw new FrameException("message field " + field + " must be a JSON object");
  }

  private static byte[] orEmpty(byte[] part) {
    return part != null ? part : EMPTY_OBJECT;
  }
}
