package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.KernelMessage;

/** Where {@link KernelConnections} hands what it receives, on its event loop: implementations must be quick. */
interface MessageSink {

  /** A verified message from a kernel; {@code reportActivity} asks to tell the lifecycle about it. */
  void received(KernelMessage message, boolean reportActivity);

  /** The kernel has not answered heartbeats for three intervals. */
  void heartbeatLost(String kernelId);
}
