package io.github.kernelgate.zmq;

import io.github.kernelgate.protocol.KernelMessage;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A sink for connection tests: keeps every message received, ignores lost heartbeats. */
final class CollectingSink implements MessageSink {

  final BlockingQueue<KernelMessage> received = new LinkedBlockingQueue<>();

  @Override
  public void received(KernelMessage message, boolean reportActivity) {
    received.add(message);
  }

  @Override
  public void heartbeatLost(String kernelId) {
  }
}
