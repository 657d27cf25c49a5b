package io.github.kernelgate.launch;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decodes a version-1 launch payload: base64 of a JSON envelope {@code {version, key,
 * conn_info}}, where {@code key} is the RSA-encrypted AES key and {@code conn_info} the
 * AES-ECB/PKCS#7 encrypted connection info. Lenient about whitespace and pretty-printed JSON
 * (the Scala launcher sends that); strict about everything else.
 */
public final class PayloadDecoder {

  private final HandshakeKeys keys;

  public PayloadDecoder(HandshakeKeys keys) {
    this.keys = keys;
  }

  /** The connection info, with a string {@code kernel_id}. */
  public JsonObject decode(byte[] wire) throws InvalidPayload {
    JsonObject envelope = json(base64(new String(wire, StandardCharsets.US_ASCII), "payload"), "envelope");
    Object version = envelope.getValue("version");
    if (!(version instanceof Number number) || number.intValue() != 1) {
      throw new InvalidPayload("unsupported payload version " + version);
    }
    byte[] aesKey;
    byte[] plain;
    try {
      aesKey = keys.decryptKey(base64(string(envelope, "key"), "key"));
      if (aesKey.length != 16 && aesKey.length != 24 && aesKey.length != 32) {
        throw new InvalidPayload("AES key of " + aesKey.length + " bytes");
      }
      Cipher aes = Cipher.getInstance("AES/ECB/PKCS5Padding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      plain = aes.doFinal(base64(string(envelope, "conn_info"), "conn_info"));
    } catch (GeneralSecurityException cannotDecrypt) {
      throw new InvalidPayload("cannot decrypt (wrong key or damaged payload)");
    }
    JsonObject info = json(plain, "connection info");
    if (!(info.getValue("kernel_id") instanceof String)) {
      throw new InvalidPayload("connection info has no kernel_id");
    }
    return info;
  }

  private static String string(JsonObject envelope, String field) throws InvalidPayload {
    if (envelope.getValue(field) instanceof String text) {
      return text;
    }
    throw new InvalidPayload("envelope has no string " + field);
  }

  private static byte[] base64(String text, String what) throws InvalidPayload {
    try {
      return Base64.getMimeDecoder().decode(text.strip());
    } catch (IllegalArgumentException notBase64) {
      throw new InvalidPayload(what + " is not base64");
    }
  }

  private static JsonObject json(byte[] bytes, String what) throws InvalidPayload {
    try {
      return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (DecodeException | ClassCastException notJson) {
      throw new InvalidPayload(what + " is not a JSON object");
    }
  }
}
