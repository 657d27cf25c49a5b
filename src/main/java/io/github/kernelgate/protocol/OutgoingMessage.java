package io.github.kernelgate.protocol;

/** A client's message for a kernel's channel; the ZMQ bridge signs it with the kernel's key. */
public record OutgoingMessage(String kernelId, Channel channel, WireMessage message) {
}
