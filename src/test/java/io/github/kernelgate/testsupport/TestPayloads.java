package io.github.kernelgate.testsupport;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/** Version-1 handshake payloads made in Java, as a launcher would make them (for tests of the gateway's side). */
public final class TestPayloads {

  private TestPayloads() {
  }

  public static byte[] encrypt(JsonObject connectionInfo, String publicKeyBase64) {
    try {
      PublicKey key = KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKeyBase64)));
      byte[] aesKey = new byte[16];
      new SecureRandom().nextBytes(aesKey);
      Cipher aes = Cipher.getInstance("AES/ECB/PKCS5Padding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
      byte[] info = aes.doFinal(connectionInfo.encode().getBytes(StandardCharsets.UTF_8));
      Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
      rsa.init(Cipher.ENCRYPT_MODE, key);
      JsonObject envelope = new JsonObject().put("version", 1)
          .put("key", Base64.getEncoder().encodeToString(rsa.doFinal(aesKey)))
          .put("conn_info", Base64.getEncoder().encodeToString(info));
      return Base64.getEncoder().encode(envelope.encodePrettily().getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject connectionInfo(String kernelId) {
    return new JsonObject().put("shell_port", 40001).put("iopub_port", 40002).put("stdin_port", 40003)
        .put("control_port", 40004).put("hb_port", 40005).put("ip", "0.0.0.0").put("key", "k")
        .put("transport", "tcp").put("signature_scheme", "hmac-sha256").put("comm_port", 40006).put("kernel_id", kernelId);
  }
}
