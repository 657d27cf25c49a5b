package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.KernelMessage;

/** Where the socket-owner thread hands what it receives. Called on that thread: implementations must be thread-safe and quick. */
interface MessageSink {

  /** A verified message from a kernel; {@code reportActivity} asks to tell the lifecycle about it. */
  void received(KernelMessage message, boolean reportActivity);

  /** The kernel has not answered heartbeats for three intervals. */
  void heartbeatLost(String kernelId);
}
