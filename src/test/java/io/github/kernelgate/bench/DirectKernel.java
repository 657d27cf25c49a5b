package io.github.kernelgate.bench;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.HeaderFields;
import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The floor: a client talking to a kernel's ZMQ sockets directly (no gateway), on the calling
 * thread with a poller. Signs and verifies like any Jupyter client.
 */
final class DirectKernel implements AutoCloseable {

  private final ZContext context = new ZContext(1);
  private final ZMQ.Socket shell;
  private final ZMQ.Socket iopub;
  private final ZMQ.Poller poller;
  private final MessageSigner signer;
  /** Bytes of stream text seen on iopub for the last request. */
  long streamBytes;
  /**
   * Whether stream content is decoded as a client that wants the text must (UTF-8, then JSON):
   * the floor of a client of the legacy framing, which has to decode each whole message to read it.
   */
  boolean decodeContent;

  DirectKernel(ConnectionInfo info) {
    signer = new MessageSigner(info.key());
    shell = context.createSocket(SocketType.DEALER);
    shell.setLinger(0);
    shell.connect(info.endpoint(info.shellPort()));
    iopub = context.createSocket(SocketType.SUB);
    iopub.setLinger(0);
    iopub.setRcvHWM(0);
    iopub.subscribe(new byte[0]);
    iopub.connect(info.endpoint(info.iopubPort()));
    poller = context.createPoller(2);
    poller.register(shell, ZMQ.Poller.POLLIN);
    poller.register(iopub, ZMQ.Poller.POLLIN);
  }

  /** Nudges with kernel_info until the reply and an iopub message arrived (the slow-joiner dance). */
  void awaitReady(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (System.currentTimeMillis() < deadline) {
      try {
        request("kernel_info_request", new JsonObject(), 500);
        return;
      } catch (IllegalStateException notYet) {
        // Retry.
      }
    }
    throw new IllegalStateException("kernel not ready in " + timeoutMillis + " ms");
  }

  /** Sends a shell request and waits for its reply and its idle status. */
  void request(String msgType, JsonObject content, long timeoutMillis) {
    WireMessage message = GatewayMessages.create(msgType, null, content);
    String msgId = GatewayMessages.msgId(message);
    List<byte[]> frames = KernelFrames.signed(signer, message);
    for (int i = 0; i < frames.size(); i++) {
      shell.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
    }
    streamBytes = 0;
    boolean replied = false;
    boolean idle = false;
    long deadline = System.currentTimeMillis() + timeoutMillis;
    while (!(replied && idle)) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) {
        throw new IllegalStateException("no reply to " + msgType);
      }
      poller.poll(left);
      if (poller.pollin(0)) {
        WireMessage reply = receive(shell);
        replied |= reply != null && msgId.equals(HeaderFields.read(reply.parentHeader(), "msg_id"));
      }
      if (poller.pollin(1)) {
        WireMessage published;
        while ((published = receive(iopub)) != null) {
          if (!msgId.equals(HeaderFields.read(published.parentHeader(), "msg_id"))) {
            continue;
          }
          String type = HeaderFields.read(published.header(), "msg_type");
          if ("stream".equals(type)) {
            streamBytes += decodeContent
                ? new JsonObject(new String(published.content(), StandardCharsets.UTF_8)).getString("text").length()
                : published.content().length;
          } else if ("status".equals(type) && "idle".equals(HeaderFields.read(published.content(), "execution_state"))) {
            idle = true;
          }
        }
      }
    }
  }

  void execute(String code, long timeoutMillis) {
    request("execute_request", new JsonObject().put("code", code).put("silent", false).put("store_history", false)
        .put("user_expressions", new JsonObject()).put("allow_stdin", false), timeoutMillis);
  }

  private WireMessage receive(ZMQ.Socket socket) {
    byte[] first = socket.recv(ZMQ.DONTWAIT);
    if (first == null) {
      return null;
    }
    List<byte[]> frames = new ArrayList<>();
    frames.add(first);
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv(0));
    }
    return KernelFrames.verified(signer, frames);
  }

  @Override
  public void close() {
    context.close();
  }
}
