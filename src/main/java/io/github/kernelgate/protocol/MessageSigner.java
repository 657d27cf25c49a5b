package io.github.kernelgate.protocol;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 signatures of Jupyter messages: lower-case hex over header, parent header,
 * metadata and content, keyed with the connection key's UTF-8 bytes. An empty key means
 * unsigned messages (Jupyter's convention). Not thread-safe: one instance per thread.
 */
public final class MessageSigner {

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private final Mac mac;

  public MessageSigner(String key) {
    if (key == null || key.isEmpty()) {
      this.mac = null;
      return;
    }
    try {
      Mac hmac = Mac.getInstance("HmacSHA256");
      hmac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      this.mac = hmac;
    } catch (NoSuchAlgorithmException | InvalidKeyException impossible) {
      throw new IllegalStateException("HmacSHA256 is not available", impossible);
    }
  }

  /** The signature frame for the four JSON parts (empty when the key is empty). */
  public byte[] sign(WireMessage message) {
    if (mac == null) {
      return new byte[0];
    }
    mac.update(message.header());
    mac.update(message.parentHeader());
    mac.update(message.metadata());
    mac.update(message.content());
    byte[] digest = mac.doFinal();
    byte[] hex = new byte[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return hex;
  }

  /** Constant-time check of a received signature frame. */
  public boolean verify(byte[] signature, WireMessage message) {
    if (mac == null) {
      return true;
    }
    return MessageDigest.isEqual(sign(message), signature);
  }
}
