package io.github.kernelgate.zmq;

/** A peer broke the ZMTP protocol; the connection to it is closed (and opened again later). */
final class ZmtpException extends Exception {

  ZmtpException(String message) {
    super(message);
  }
}
