package io.github.kernelgate.protocol;

/** A message decoded from a client's WebSocket frame, ready to be signed and sent to a kernel. */
public record ClientMessage(Channel channel, WireMessage message, String msgId, String msgType) {
}
