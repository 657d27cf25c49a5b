package io.github.kernelgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where a text message is cut into fragments when frames are capped (KG_WS_FRAME_BYTES). */
class OutgoingFramesTest {

  private static final String EMOJI = new String(Character.toChars(0x1F600));

  @Test
  void asciiIsCutAtTheByteLimit() {
    assertThat(OutgoingFrames.fragmentEnd("abcdefghij", 0, 4)).isEqualTo(4);
    assertThat(OutgoingFrames.fragmentEnd("abcdefghij", 8, 4)).isEqualTo(10);
  }

  @Test
  void aFragmentNeverExceedsTheLimitInUtf8Bytes() {
    String text = ("y\u00e9\u20ac" + EMOJI).repeat(50);
    for (int limit = 4; limit < 40; limit++) {
      int start = 0;
      StringBuilder rebuilt = new StringBuilder();
      while (start < text.length()) {
        int end = OutgoingFrames.fragmentEnd(text, start, limit);
        String fragment = text.substring(start, end);
        assertThat(fragment.getBytes(StandardCharsets.UTF_8).length).as("limit %d", limit).isLessThanOrEqualTo(limit);
        assertThat(Character.isHighSurrogate(fragment.charAt(fragment.length() - 1))).as("a pair is never split").isFalse();
        rebuilt.append(fragment);
        start = end;
      }
      assertThat(rebuilt.toString()).isEqualTo(text);
    }
  }

  @Test
  void aCharacterLargerThanTheLimitStillMovesOn() {
    // A limit below one character's size cannot be met: the character goes alone rather than never.
    assertThat(OutgoingFrames.fragmentEnd("\u20ac\u20ac", 0, 2)).isEqualTo(1);
    assertThat(OutgoingFrames.fragmentEnd(EMOJI + "a", 0, 3)).isEqualTo(2);
  }
}
