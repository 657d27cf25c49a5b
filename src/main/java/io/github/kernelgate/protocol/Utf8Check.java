package io.github.kernelgate.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Whether bytes are well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above
 * U+10FFFF). Kernel JSON is sent as text frames without being decoded, so it is checked instead:
 * a kernel's {@code surrogateescape} output can hold bytes that are not UTF-8, and a client must
 * close the connection on a text message that is not.
 */
public final class Utf8Check {

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8Check() {
  }

  public static boolean isValid(byte[] bytes) {
    int index = 0;
    int length = bytes.length;
    while (index < length) {
      // ASCII, the common case, eight bytes at a time.
      if (index + 8 <= length && ((long) LONGS.get(bytes, index) & HIGH_BITS) == 0) {
        index += 8;
        continue;
      }
      int lead = bytes[index] & 0xFF;
      if (lead < 0x80) {
        index++;
        continue;
      }
      int continuations;
      int secondMin = 0x80;
      int secondMax = 0xBF;
      if (lead >= 0xC2 && lead <= 0xDF) {
        continuations = 1;
      } else if (lead >= 0xE0 && lead <= 0xEF) {
        continuations = 2;
        if (lead == 0xE0) {
          secondMin = 0xA0; // no overlong forms
        } else if (lead == 0xED) {
          secondMax = 0x9F; // no surrogates
        }
      } else if (lead >= 0xF0 && lead <= 0xF4) {
        continuations = 3;
        if (lead == 0xF0) {
          secondMin = 0x90;
        } else if (lead == 0xF4) {
          secondMax = 0x8F; // nothing above U+10FFFF
        }
      } else {
        return false;
      }
      if (index + continuations >= length) {
        return false; // the sequence is cut short
      }
      int second = bytes[index + 1] & 0xFF;
      if (second < secondMin || second > secondMax) {
        return false;
      }
      for (int next = 2; next <= continuations; next++) {
        if ((bytes[index + next] & 0xC0) != 0x80) {
          return false;
        }
      }
      index += continuations + 1;
    }
    return true;
  }
}
