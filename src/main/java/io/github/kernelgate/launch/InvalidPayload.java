package io.github.kernelgate.launch;

/** A handshake payload that cannot be used; the text is for the gateway's log only, never for the peer. */
public class InvalidPayload extends Exception {

  public InvalidPayload(String reason) {
    super(reason);
  }
}
