package io.github.kernelgate.protocol;

/** A WebSocket frame that is not a Jupyter message; the text says what is wrong with it. */
public class FrameException extends IllegalArgumentException {

  public FrameException(String message) {
    super(message);
  }
}
