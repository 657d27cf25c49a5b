package io.github.kernelgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The UTF-8 check agrees with the JDK's strict decoder, on chosen edge cases and on random bytes. */
class Utf8CheckTest {

  @Test
  void wellFormedTextPasses() {
    assertThat(Utf8Check.isValid("".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Utf8Check.isValid("plain ascii, longer than eight bytes".getBytes(StandardCharsets.UTF_8))).isTrue();
    assertThat(Utf8Check.isValid("\u00e9\u0800\uffff\ud83d\ude00\udbff\udfff".getBytes(StandardCharsets.UTF_8))).isTrue();
  }

  @Test
  void malformedSequencesFail() {
    assertThat(Utf8Check.isValid(bytes(0xFF))).as("never a UTF-8 byte").isFalse();
    assertThat(Utf8Check.isValid(bytes(0x80))).as("lone continuation").isFalse();
    assertThat(Utf8Check.isValid(bytes(0xC0, 0xAF))).as("overlong two-byte").isFalse();
    assertThat(Utf8Check.isValid(bytes(0xE0, 0x80, 0xAF))).as("overlong three-byte").isFalse();
    assertThat(Utf8Check.isValid(bytes(0xED, 0xA0, 0x80))).as("a surrogate").isFalse();
    assertThat(Utf8Check.isValid(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isFalse();
    assertThat(Utf8Check.isValid(bytes('a', 'b', 0xE2, 0x82))).as("cut short at the end").isFalse();
    assertThat(Utf8Check.isValid(bytes('a', 'b', 'c', 'd', 'e', 'f', 'g', 0xC3))).as("cut short after a word").isFalse();
  }

  @Test
  void agreesWithTheJdkOnRandomBytes() {
    Random random = new Random(13);
    for (int round = 0; round < 20_000; round++) {
      byte[] bytes = new byte[random.nextInt(24)];
      for (int i = 0; i < bytes.length; i++) {
        // Mostly ASCII with some high bytes, so both the fast path and the sequences are walked.
        bytes[i] = (byte) (random.nextInt(4) == 0 ? 0x80 + random.nextInt(0x80) : random.nextInt(0x80));
      }
      assertThat(Utf8Check.isValid(bytes)).as("bytes %s", java.util.Arrays.toString(bytes)).isEqualTo(jdkAccepts(bytes));
    }
  }

  private static boolean jdkAccepts(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException malformed) {
      return false;
    }
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }
}
