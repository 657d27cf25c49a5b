package io.github.kernelgate.protocol;

/**
 * A verified message from a kernel with the few header fields routing needs. Sent over the
 * event bus with a local codec (zero copy). {@code executionState} is set on iopub status messages;
 * {@code arrivedNanos} is {@link System#nanoTime()} when its first byte reached this gateway.
 */
public record KernelMessage(String kernelId, Channel channel, WireMessage message,
                            String msgId, String msgType, String parentMsgId, String executionState, long arrivedNanos) {
}
