package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Many kernels' connections on one event loop: every request is answered on shell and on iopub
 * by scripted JeroMQ peers while heartbeats go out, so sends, heartbeats and replies interleave
 * on the same connections, and each reply must reach the kernel it belongs to.
 */
class KernelConnectionsManyKernelsTest {

  private static final String KEY = "many-kernels-key";
  private static final int KERNELS = 40;
  private static final int REQUESTS = 2_000;
  private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);

  private final ZContext peers = new ZContext();
  private final CollectingSink sink = new CollectingSink();
  private final BlockingQueue<KernelMessage> received = sink.received;
  private final List<ZMQ.Socket> shells = new ArrayList<>();
  private final List<ZMQ.Socket> iopubs = new ArrayList<>();
  private final List<ZMQ.Socket> heartbeats = new ArrayList<>();
  /** One per thread: a Mac is not thread-safe. */
  private final MessageSigner testSigner = new MessageSigner(KEY);
  private final MessageSigner peerSigner = new MessageSigner(KEY);
  private volatile boolean answering = true;
  private Thread peerThread;
  private final EventLoopCaller loop = new EventLoopCaller();
  private KernelConnections connections;

  @AfterEach
  void stop() throws Exception {
    answering = false;
    if (peerThread != null) {
      peerThread.join(5_000);
    }
    if (connections != null) {
      loop.run(connections::close);
    }
    loop.close();
    peers.close();
  }

  @Test
  void everyReplyOfManyKernelsArrivesWhileHeartbeatsInterleave() throws Exception {
    connections = loop.call(() -> new KernelConnections(loop.vertx, sink, 3_000, 1_000));
    List<ConnectionInfo> infos = new ArrayList<>();
    for (int i = 0; i < KERNELS; i++) {
      ZMQ.Socket shell = peers.createSocket(SocketType.ROUTER);
      ZMQ.Socket iopub = peers.createSocket(SocketType.PUB);
      ZMQ.Socket heartbeat = peers.createSocket(SocketType.REP);
      shells.add(shell);
      iopubs.add(iopub);
      heartbeats.add(heartbeat);
      int shellPort = shell.bindToRandomPort("tcp://127.0.0.1");
      int iopubPort = iopub.bindToRandomPort("tcp://127.0.0.1");
      int hbPort = heartbeat.bindToRandomPort("tcp://127.0.0.1");
      int controlPort = peers.createSocket(SocketType.ROUTER).bindToRandomPort("tcp://127.0.0.1");
      int stdinPort = peers.createSocket(SocketType.ROUTER).bindToRandomPort("tcp://127.0.0.1");
      infos.add(new ConnectionInfo("127.0.0.1", "tcp", shellPort, iopubPort, stdinPort, controlPort, hbPort, KEY, "hmac-sha256"));
    }
    peerThread = new Thread(this::answer, "scripted-kernels");
    peerThread.start();
    // Kernels join while others are busy, as they do on a gateway in use.
    connectAndExchange(infos, 0, 1, 200);
    connectAndExchange(infos, 1, KERNELS, REQUESTS);
  }

  private void connectAndExchange(List<ConnectionInfo> infos, int from, int to, int requests) throws Exception {
    for (int i = from; i < to; i++) {
      String kernelId = "k" + i;
      ConnectionInfo info = infos.get(i);
      loop.run(() -> connections.connect(kernelId, info));
    }
    // A SUB socket misses what is published before its subscription arrives: wait until each kernel's iopub is heard.
    // The iopub PUBs are shared with the peer thread, hence the lock (which also publishes the socket's state).
    for (int i = from; i < to; i++) {
      awaitIopubSubscribed(i);
    }
    for (int i = 0; i < requests; i++) {
      String kernelId = "k" + (i % to);
      WireMessage request = GatewayMessages.create("execute_request", null, new JsonObject().put("code", "pass"));
      loop.run(() -> connections.send(kernelId, Channel.SHELL, request));
      String requestId = GatewayMessages.msgId(request);
      boolean replied = false;
      boolean idle = false;
      while (!replied || !idle) {
        KernelMessage message = received.poll(10, TimeUnit.SECONDS);
        assertThat(message).as("request %d to %s: reply %s, idle %s", i, kernelId, replied, idle).isNotNull();
        if (requestId.equals(message.parentMsgId())) {
          assertThat(message.kernelId()).isEqualTo(kernelId);
          replied |= message.channel() == Channel.SHELL;
          idle |= message.channel() == Channel.IOPUB;
        }
      }
    }
  }

  private void awaitIopubSubscribed(int kernel) throws InterruptedException {
    WireMessage hello = GatewayMessages.create("status", null, new JsonObject().put("execution_state", "starting"));
    for (int attempt = 0; attempt < 500; attempt++) {
      synchronized (iopubs) {
        sendSigned(iopubs.get(kernel), List.of("status".getBytes(StandardCharsets.US_ASCII)), hello, testSigner);
      }
      KernelMessage heard = received.poll(20, TimeUnit.MILLISECONDS);
      if (heard != null && heard.kernelId().equals("k" + kernel)) {
        received.clear();
        return;
      }
    }
    throw new AssertionError("the iopub of k" + kernel + " was never heard");
  }

  /** The scripted kernels: each shell request gets a reply and an iopub status with it as parent; pings are echoed. */
  private void answer() {
    ZMQ.Poller poller = peers.createPoller(2 * KERNELS);
    shells.forEach(socket -> poller.register(socket, ZMQ.Poller.POLLIN));
    heartbeats.forEach(socket -> poller.register(socket, ZMQ.Poller.POLLIN));
    while (answering) {
      poller.poll(100);
      for (int i = 0; i < KERNELS; i++) {
        if (poller.pollin(i)) {
          answerRequest(i);
        }
        if (poller.pollin(KERNELS + i)) {
          ZMQ.Socket heartbeat = heartbeats.get(i);
          heartbeat.send(heartbeat.recv(0), 0);
        }
      }
    }
    poller.close();
  }

  private void answerRequest(int kernel) {
    ZMQ.Socket shell = shells.get(kernel);
    List<byte[]> frames = new ArrayList<>();
    frames.add(shell.recv(0));
    while (shell.hasReceiveMore()) {
      frames.add(shell.recv(0));
    }
    byte[] identity = frames.get(0);
    byte[] requestHeader = frames.get(3);
    WireMessage reply = reply("execute_reply", requestHeader, "{\"status\":\"ok\"}");
    sendSigned(shell, List.of(identity), reply, peerSigner);
    synchronized (iopubs) {
      sendSigned(iopubs.get(kernel), List.of("status".getBytes(StandardCharsets.US_ASCII)),
          reply("status", requestHeader, "{\"execution_state\":\"idle\"}"), peerSigner);
    }
  }

  private static WireMessage reply(String msgType, byte[] parentHeader, String content) {
    return new WireMessage(GatewayMessages.create(msgType, null, new JsonObject()).header(), parentHeader,
        "{}".getBytes(StandardCharsets.UTF_8), content.getBytes(StandardCharsets.UTF_8), List.of());
  }

  private static void sendSigned(ZMQ.Socket socket, List<byte[]> prefix, WireMessage message, MessageSigner signer) {
    prefix.forEach(socket::sendMore);
    socket.sendMore(DELIMITER);
    socket.sendMore(signer.sign(message));
    socket.sendMore(message.header());
    socket.sendMore(message.parentHeader());
    socket.sendMore(message.metadata());
    socket.send(message.content(), 0);
  }
}
