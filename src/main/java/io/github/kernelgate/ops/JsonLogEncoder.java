package io.github.kernelgate.ops;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line ({@code KG_LOG_FORMAT=json}) with the event's key-value pairs as
 * fields of their own ({@code "kernel_id": "…"}), so a log store can filter on them. Logback's own
 * JSON encoder nests them in a list, which log stores do not index as fields.
 */
public final class JsonLogEncoder extends EncoderBase<ILoggingEvent> {

  /** The encoder's own fields; a key-value pair with one of these names is written as {@code kv_<name>}. */
  private static final Set<String> FIXED_FIELDS = Set.of("time", "level", "logger", "thread", "message", "exception");
  private static final byte[] NOTHING = new byte[0];

  private final JsonFactory json = new JsonFactory();

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    try (JsonGenerator out = json.createGenerator(line)) {
      out.writeStartObject();
      out.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      out.writeStringField("level", event.getLevel().toString());
      out.writeStringField("logger", event.getLoggerName());
      out.writeStringField("thread", event.getThreadName());
      out.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair pair : event.getKeyValuePairs()) {
          writeValue(out, FIXED_FIELDS.contains(pair.key) ? "kv_" + pair.key : pair.key, pair.value);
        }
      }
      IThrowableProxy thrown = event.getThrowableProxy();
      if (thrown != null) {
        out.writeStringField("exception", ThrowableProxyUtil.asString(thrown));
      }
      out.writeEndObject();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    line.write('\n');
    return line.toByteArray();
  }

  /** Numbers and booleans stay JSON numbers and booleans; anything else is its text. */
  private static void writeValue(JsonGenerator out, String key, Object value) throws IOException {
    if (value == null) {
      out.writeNullField(key);
    } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      out.writeNumberField(key, ((Number) value).longValue());
    } else if (value instanceof Double || value instanceof Float) {
      out.writeNumberField(key, ((Number) value).doubleValue());
    } else if (value instanceof Boolean flag) {
      out.writeBooleanField(key, flag);
    } else {
      out.writeStringField(key, value.toString());
    }
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }
}
