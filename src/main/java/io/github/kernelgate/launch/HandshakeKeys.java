package io.github.kernelgate.launch;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;
import javax.crypto.Cipher;

/**
 * The gateway's RSA key pair for the launch handshake (RSA-1024, as EG's launchers expect).
 * The public key is handed to kernels as the base64 of its X.509 DER encoding; the private key
 * decrypts the AES key of each payload. Ephemeral: a new pair per gateway process.
 */
public final class HandshakeKeys {

  private static final int KEY_BITS = 1024;

  private final KeyPair pair;
  private final String publicKeyBase64;

  private HandshakeKeys(KeyPair pair) {
    this.pair = pair;
    this.publicKeyBase64 = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
  }

  /** Generates a pair (about 200 ms: call from a worker). */
  public static HandshakeKeys generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(KEY_BITS);
      return new HandshakeKeys(generator.generateKeyPair());
    } catch (GeneralSecurityException impossible) {
      throw new IllegalStateException("RSA is not available", impossible);
    }
  }

  /** The value of {@code PUBLIC_KEY} / {@code {public_key}}. */
  public String publicKeyBase64() {
    return publicKeyBase64;
  }

  /** RSA PKCS#1 v1.5 decryption of a payload's AES key. */
  byte[] decryptKey(byte[] encrypted) throws GeneralSecurityException {
    Cipher rsa = Cipher.getInstance("RSA/ECB/PKCS1Padding");
    rsa.init(Cipher.DECRYPT_MODE, pair.getPrivate());
    return rsa.doFinal(encrypted);
  }
}
