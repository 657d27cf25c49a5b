package io.github.kernelgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifies both WebSocket framings against hand-built frames, and that garbage is refused with a reason. */
class FramingTest {

  private static final WireMessage MESSAGE = new WireMessage(
      bytes("{\"msg_id\":\"m1\",\"msg_type\":\"execute_request\"}"), bytes("{}"), bytes("{\"k\":1}"),
      bytes("{\"code\":\"1+1\"}"), List.of());

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void v1FrameHasTheDocumentedLayout() {
    Buffer frame = V1Framing.toClient(Channel.SHELL, MESSAGE);
    assertThat(frame.getLongLE(0)).isEqualTo(6);
    assertThat(frame.getLongLE(8)).isEqualTo(56);
    assertThat(frame.getLongLE(16)).isEqualTo(61);
    assertThat(frame.getString(56, 61)).isEqualTo("shell");
    assertThat(frame.getLongLE(48)).isEqualTo(frame.length());
  }

  @Test
  void v1FrameOfLargePartsReferencesThemAndStaysReadableAfterSlicing() {
    byte[] content = new byte[SplicedFrame.REFERENCE_LIMIT * 3];
    java.util.Arrays.fill(content, (byte) 'x');
    byte[] buffer = new byte[SplicedFrame.REFERENCE_LIMIT + 7];
    buffer[buffer.length - 1] = 42;
    WireMessage large = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), content,
        List.of(new byte[] {1, 2}, buffer));
    Buffer frame = V1Framing.toClient(Channel.IOPUB, large);
    assertThat(frame.length()).isEqualTo(frame.getLongLE(8 * 8));
    // The WebSocket writer cuts a message into slices; reading one must not release the rest.
    Buffer first = frame.slice(0, 1024);
    assertThat(first.getLongLE(0)).isEqualTo(8);
    assertThat(frame.getByte(frame.length() - 1)).isEqualTo((byte) 42);
    assertThat(frame.getBytes((int) frame.getLongLE(5 * 8), (int) frame.getLongLE(6 * 8))).isEqualTo(content);
    assertThat(frame.getBytes((int) frame.getLongLE(6 * 8), (int) frame.getLongLE(7 * 8))).containsExactly(1, 2);
  }

  @Test
  void v1RoundTripKeepsPartsAndBuffers() {
    WireMessage withBuffers = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), MESSAGE.content(),
        List.of(new byte[] {1, 2, 3}, new byte[0]));
    ClientMessage decoded = V1Framing.fromClient(V1Framing.toClient(Channel.CONTROL, withBuffers));
    assertThat(decoded.channel()).isEqualTo(Channel.CONTROL);
    assertThat(decoded.msgId()).isEqualTo("m1");
    assertThat(decoded.message().metadata()).isEqualTo(MESSAGE.metadata());
    assertThat(decoded.message().buffers()).hasSize(2);
    assertThat(decoded.message().buffers().get(0)).containsExactly(1, 2, 3);
  }

  @Test
  void legacyTextFrameSplicesKernelJson() {
    LegacyFraming.Frame frame = LegacyFraming.toClient(Channel.IOPUB, MESSAGE, "m1", "execute_request");
    assertThat(frame.binary()).isFalse();
    JsonObject json = new JsonObject(frame.data());
    assertThat(json.getString("channel")).isEqualTo("iopub");
    assertThat(json.getString("msg_id")).isEqualTo("m1");
    assertThat(json.getJsonObject("metadata").getInteger("k")).isEqualTo(1);
    assertThat(json.getJsonArray("buffers")).isEmpty();
  }

  @Test
  void legacyTextFrameOfALargeOutputKeepsItsBytesExactly() {
    // Non-ASCII text and a part above the reference limit: the frame is the kernel's bytes, spliced.
    String text = ("line \u00e9\u20ac\ud83d\ude00 " + "x".repeat(1000) + "\\n").repeat(200);
    WireMessage large = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(),
        new JsonObject().put("name", "stdout").put("text", text).toBuffer().getBytes(), List.of());
    LegacyFraming.Frame frame = LegacyFraming.toClient(Channel.IOPUB, large, "m1", "stream");
    assertThat(frame.binary()).isFalse();
    assertThat(new String(frame.data().getBytes(), StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8))
        .as("well-formed UTF-8").isEqualTo(frame.data().getBytes());
    JsonObject json = new JsonObject(frame.data());
    assertThat(json.getJsonObject("content").getString("text")).isEqualTo(text);
    assertThat(json.getString("msg_type")).isEqualTo("stream");
    assertThat(json.getJsonArray("buffers")).isEmpty();
    // The WebSocket writer slices it; a slice must not release the rest.
    assertThat(frame.data().slice(0, 10).toString()).isEqualTo("{\"header\":");
    assertThat(new JsonObject(frame.data()).getString("channel")).isEqualTo("iopub");
  }

  @Test
  void legacyTextFrameOfBytesThatAreNotUtf8CarriesReplacementCharacters() {
    // What a kernel's surrogateescape output looks like: a lone 0xFF inside a JSON string.
    byte[] content = {'{', '"', 't', '"', ':', '"', 'a', (byte) 0xFF, 'b', '"', '}'};
    WireMessage odd = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), content, List.of());
    LegacyFraming.Frame frame = LegacyFraming.toClient(Channel.IOPUB, odd, "m1", "stream");
    assertThat(Utf8Check.isValid(frame.data().getBytes())).isTrue();
    assertThat(new JsonObject(frame.data()).getJsonObject("content").getString("t")).isEqualTo("a\ufffdb");
    // The JSON part of a binary frame (a message with buffers) likewise.
    WireMessage withBuffer = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), content, List.of(new byte[] {7}));
    Buffer binary = LegacyFraming.toClient(Channel.IOPUB, withBuffer, "m1", "comm_msg").data();
    byte[] json = binary.getBytes(binary.getInt(4), binary.getInt(8));
    assertThat(Utf8Check.isValid(json)).isTrue();
    assertThat(new JsonObject(Buffer.buffer(json)).getJsonObject("content").getString("t")).isEqualTo("a\ufffdb");
    assertThat(binary.getBytes(binary.getInt(8), binary.length())).containsExactly(7);
  }

  @Test
  void legacyBinaryFrameReferencesLargeBuffersAndKeepsTheLayout() {
    byte[] buffer = new byte[SplicedFrame.REFERENCE_LIMIT * 2 + 3];
    buffer[0] = 7;
    buffer[buffer.length - 1] = 9;
    WireMessage withBuffer = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), MESSAGE.content(),
        List.of(new byte[] {1}, buffer));
    Buffer data = LegacyFraming.toClient(Channel.SHELL, withBuffer, "m1", "comm_msg").data();
    assertThat(data.getInt(0)).isEqualTo(3);
    int secondBuffer = data.getInt(12);
    assertThat(data.length() - secondBuffer).isEqualTo(buffer.length);
    ClientMessage back = LegacyFraming.fromClientBinary(data);
    assertThat(back.msgId()).isEqualTo("m1");
    assertThat(back.message().buffers().get(0)).containsExactly(1);
    assertThat(back.message().buffers().get(1)).isEqualTo(buffer);
  }

  @Test
  void messageIdsAreQuotedAsJsonStrings() {
    for (String id : List.of("plain-id_1", "", "with \"quote\"", "back\\slash", "tab\there", "\u00e9t\u00e9", "\u2028")) {
      assertThat(new io.vertx.core.json.JsonArray("[" + WireText.quote(id) + "]").getString(0)).isEqualTo(id);
    }
  }

  @Test
  void legacyBinaryFrameCarriesBuffers() {
    WireMessage withBuffer = new WireMessage(MESSAGE.header(), MESSAGE.parentHeader(), MESSAGE.metadata(), MESSAGE.content(),
        List.of(new byte[] {9, 8}));
    LegacyFraming.Frame frame = LegacyFraming.toClient(Channel.IOPUB, withBuffer, "m1", "comm_msg");
    assertThat(frame.binary()).isTrue();
    Buffer data = frame.data();
    assertThat(data.getInt(0)).isEqualTo(2);
    assertThat(data.getInt(4)).isEqualTo(12);
    int bufferStart = data.getInt(8);
    assertThat(new JsonObject(data.getString(12, bufferStart)).containsKey("buffers")).isFalse();
    assertThat(data.getBytes(bufferStart, data.length())).containsExactly(9, 8);
    // Clients may not write to iopub; the same layout on shell decodes back with its buffer.
    ClientMessage back = LegacyFraming.fromClientBinary(LegacyFraming.toClient(Channel.SHELL, withBuffer, "m1", "comm_msg").data());
    assertThat(back.channel()).isEqualTo(Channel.SHELL);
    assertThat(back.message().buffers().get(0)).containsExactly(9, 8);
  }

  @Test
  void legacyTextDefaultsToShellAndOptionalParts() {
    ClientMessage message = LegacyFraming.fromClientText("{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"kernel_info_request\"}}");
    assertThat(message.channel()).isEqualTo(Channel.SHELL);
    assertThat(new String(message.message().content(), StandardCharsets.UTF_8)).isEqualTo("{}");
  }

  /** Jackson caps a string at 20 MB by default; a cell's code may be as large as the message limit. */
  @Test
  void legacyTextPartsAreForwardedAsTheClientWroteThem() {
    String header = "{ \"msg_id\" : \"m1\", \"msg_type\": \"execute_request\", \"n\": {\"deep\": [1, {\"x\": \"}\"}]} }";
    String content = "{\"code\": \"print('{\\\"\u00e9\u20ac\ud83d\ude00\\\"}')\"}";
    String frame = "{\"channel\": \"control\", \"buffers\": [], \"header\": " + header + ", \"parent_header\": null,\n"
        + " \"content\":" + content + ", \"extra\": {\"ignored\": [true]}}";
    ClientMessage message = LegacyFraming.fromClientText(frame);
    assertThat(message.channel()).isEqualTo(Channel.CONTROL);
    assertThat(message.msgId()).isEqualTo("m1");
    assertThat(new String(message.message().header(), StandardCharsets.UTF_8)).isEqualTo(header);
    assertThat(new String(message.message().content(), StandardCharsets.UTF_8)).isEqualTo(content);
    assertThat(message.message().parentHeader()).isEqualTo(bytes("{}"));
    assertThat(message.message().metadata()).isEqualTo(bytes("{}"));
    // The same JSON as the first part of a binary frame: byte offsets instead of characters.
    byte[] json = frame.getBytes(StandardCharsets.UTF_8);
    Buffer binary = Buffer.buffer().appendInt(2).appendInt(12).appendInt(12 + json.length).appendBytes(json).appendBytes(new byte[] {5});
    ClientMessage fromBinary = LegacyFraming.fromClientBinary(binary);
    assertThat(new String(fromBinary.message().content(), StandardCharsets.UTF_8)).isEqualTo(content);
    assertThat(fromBinary.message().buffers().get(0)).containsExactly(5);
  }

  @Test
  void legacyTextPartsThatAreNotObjectsAreRefusedByName() {
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": null}")).hasMessageContaining("header must be a JSON object");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"parent_header\": {}}")).hasMessageContaining("header must be a JSON object");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"t\"}, \"content\": [1]}"))
        .hasMessageContaining("content must be a JSON object");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"t\"}, \"channel\": 5}"))
        .hasMessageContaining("unknown channel 5");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"t\"}, \"channel\": \"iopub\"}"))
        .hasMessageContaining("unknown channel iopub");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {\"msg_id\": \"a\", \"msg_type\": \"t\"}, \"content\": {\"code\": }"))
        .isInstanceOf(FrameException.class).hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("[1, 2]")).hasMessageContaining("not a JSON object");
  }

  @Test
  void legacyTextWithACellOverTwentyMegabytesIsRead() {
    String code = "x".repeat(21 * 1000 * 1000);
    String frame = new JsonObject().put("channel", "shell").put("header", new JsonObject().put("msg_id", "m").put("msg_type", "execute_request"))
        .put("parent_header", new JsonObject()).put("metadata", new JsonObject()).put("content", new JsonObject().put("code", code)).encode();

    ClientMessage message = LegacyFraming.fromClientText(frame);

    assertThat(WireJson.object(message.message().content()).getString("code")).hasSize(code.length());
  }

  @Test
  void garbageIsRefusedWithAReason() {
    assertThatThrownBy(() -> LegacyFraming.fromClientText("nope")).isInstanceOf(FrameException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {\"msg_id\": 1}}")).hasMessageContaining("msg_id");
    assertThatThrownBy(() -> LegacyFraming.fromClientText("{\"header\": {}, \"channel\": \"hb\"}")).hasMessageContaining("channel");
    assertThatThrownBy(() -> LegacyFraming.fromClientBinary(Buffer.buffer(new byte[] {0, 0, 0, 1}))).isInstanceOf(FrameException.class);
    assertThatThrownBy(() -> LegacyFraming.fromClientBinary(Buffer.buffer().appendInt(5).appendInt(1))).isInstanceOf(FrameException.class);
    assertThatThrownBy(() -> V1Framing.fromClient(Buffer.buffer().appendLongLE(6).appendLongLE(56))).isInstanceOf(FrameException.class);
    Buffer badOrder = V1Framing.toClient(Channel.SHELL, MESSAGE);
    badOrder.setLongLE(24, 1);
    assertThatThrownBy(() -> V1Framing.fromClient(badOrder)).hasMessageContaining("offsets");
  }
}
