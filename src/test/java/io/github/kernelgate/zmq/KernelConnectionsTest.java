package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * KernelGate's own ZMTP connections against JeroMQ peers playing the kernel: the wire format is
 * understood by a real ZMQ implementation both ways, signatures are checked, the shell and stdin
 * share one identity, iopub is subscribed and can be paused, a silent heartbeat is reported, and a
 * kernel that is not listening yet (or goes away and comes back) gets what was sent meanwhile.
 */
class KernelConnectionsTest {

  private static final String KEY = "test-key";

  private final ZContext peers = new ZContext();
  private final EventLoopCaller loop = new EventLoopCaller();
  private final BlockingQueue<KernelMessage> received = new LinkedBlockingQueue<>();
  private final CountDownLatch heartbeatLost = new CountDownLatch(1);
  private final MessageSigner signer = new MessageSigner(KEY);
  private ZMQ.Socket shell;
  private ZMQ.Socket stdin;
  private ZMQ.Socket iopub;
  private ZMQ.Socket heartbeat;
  private ConnectionInfo ports;
  private KernelConnections connections;

  @BeforeEach
  void startPeersAndConnections() {
    shell = bind(SocketType.ROUTER);
    stdin = bind(SocketType.ROUTER);
    iopub = bind(SocketType.XPUB);
    heartbeat = bind(SocketType.REP);
    ZMQ.Socket control = bind(SocketType.ROUTER);
    ports = new ConnectionInfo("127.0.0.1", "tcp", port(shell), port(iopub), port(stdin), port(control), port(heartbeat),
        KEY, "hmac-sha256");
    connections = loop.call(() -> new KernelConnections(loop.vertx, new MessageSink() {
      @Override
      public void received(KernelMessage message, boolean reportActivity) {
        received.add(message);
      }

      @Override
      public void heartbeatLost(String kernelId) {
        heartbeatLost.countDown();
        // A failing listener must not stop the heartbeats or the connections.
        throw new IllegalStateException("listener failure injected by the test");
      }
    }, 100, 1_000));
    loop.run(() -> connections.connect("k1", ports));
  }

  @AfterEach
  void stop() throws Exception {
    loop.run(connections::close);
    loop.close();
    peers.close();
  }

  @Test
  void outgoingMessagesAreSignedAndBadlySignedRepliesAreDropped() throws Exception {
    WireMessage request = GatewayMessages.create("kernel_info_request", null, new JsonObject());
    assertThat(send(Channel.SHELL, request)).isTrue();
    List<byte[]> frames = receiveAll(shell);
    byte[] identity = frames.get(0);
    assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).isEqualTo("<IDS|MSG>");
    WireMessage sent = new WireMessage(frames.get(3), frames.get(4), frames.get(5), frames.get(6), List.of());
    assertThat(signer.verify(frames.get(2), sent)).isTrue();

    WireMessage reply = reply("kernel_info_reply", request, "{\"status\":\"ok\"}");
    sendFrames(shell, List.of(identity), "0000bad0".getBytes(StandardCharsets.US_ASCII), reply);
    sendFrames(shell, List.of(identity), signer.sign(reply), reply);

    KernelMessage accepted = received.poll(5, TimeUnit.SECONDS);
    assertThat(accepted).isNotNull();
    assertThat(accepted.msgType()).isEqualTo("kernel_info_reply");
    assertThat(accepted.parentMsgId()).isEqualTo(GatewayMessages.msgId(request));
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the badly signed copy must not arrive").isNull();
  }

  /** The kernel sends input_request to the identity that sent the execute_request: shell and stdin must share it. */
  @Test
  void shellAndStdinAnnounceTheSameIdentity() {
    send(Channel.SHELL, GatewayMessages.create("execute_request", null, new JsonObject()));
    send(Channel.STDIN, GatewayMessages.create("input_reply", null, new JsonObject()));
    byte[] shellIdentity = receiveAll(shell).get(0);
    assertThat(new String(shellIdentity, StandardCharsets.US_ASCII)).startsWith("kernelgate-");
    assertThat(receiveAll(stdin).get(0)).isEqualTo(shellIdentity);
  }

  /** Large frames use the 8-byte size; buffers after the content travel too. */
  @Test
  void largeFramesAndBuffersArriveWhole() throws Exception {
    byte[] big = new byte[3 * 1024 * 1024 + 7];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    awaitSubscribed();
    WireMessage output = new WireMessage(GatewayMessages.create("display_data", null, new JsonObject()).header(),
        "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
        "{\"data\":{}}".getBytes(StandardCharsets.UTF_8), List.of(big, new byte[0]));
    sendFrames(iopub, List.of("display_data".getBytes(StandardCharsets.US_ASCII)), signer.sign(output), output);
    KernelMessage heard = received.poll(10, TimeUnit.SECONDS);
    assertThat(heard).isNotNull();
    assertThat(heard.msgType()).isEqualTo("display_data");
    assertThat(heard.message().buffers()).hasSize(2);
    assertThat(heard.message().buffers().get(0)).isEqualTo(big);

    WireMessage upload = new WireMessage(GatewayMessages.create("comm_msg", null, new JsonObject()).header(),
        "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8),
        List.of(big));
    assertThat(send(Channel.SHELL, upload)).isTrue();
    List<byte[]> frames = receiveAll(shell);
    assertThat(frames).hasSize(8);
    assertThat(frames.get(7)).isEqualTo(big);
  }

  @Test
  void pausedIopubIsNotReadUntilResumed() throws Exception {
    awaitSubscribed();
    loop.run(() -> connections.readIopub("k1", false));
    // A round trip on the loop after the pause: whatever arrives from here on waits in the connection.
    loop.run(() -> { });
    WireMessage status = GatewayMessages.create("status", null, new JsonObject().put("execution_state", "busy"));
    sendFrames(iopub, List.of("status".getBytes(StandardCharsets.US_ASCII)), signer.sign(status), status);
    assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("nothing is read while paused").isNull();
    loop.run(() -> connections.readIopub("k1", true));
    KernelMessage heard = received.poll(5, TimeUnit.SECONDS);
    assertThat(heard).isNotNull();
    assertThat(heard.executionState()).isEqualTo("busy");
  }

  @Test
  void silentHeartbeatIsReportedAndTheConnectionsStillServe() throws Exception {
    // Answer a few pings, then fall silent as a hung kernel would.
    heartbeat.setReceiveTimeOut(5_000);
    for (int i = 0; i < 3; i++) {
      List<byte[]> ping = receiveAll(heartbeat);
      assertThat(ping).hasSize(1);
      heartbeat.send(ping.get(0), 0);
    }
    assertThat(heartbeatLost.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(send(Channel.SHELL, GatewayMessages.create("kernel_info_request", null, new JsonObject()))).isTrue();
    assertThat(receiveAll(shell)).hasSizeGreaterThan(3);
  }

  /** As a ZMQ socket does: what is sent before the kernel listens is written once it does. */
  @Test
  void aMessageSentBeforeTheKernelListensArrivesOnceItDoes() throws Exception {
    int latePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      latePort = probe.getLocalPort();
    }
    ConnectionInfo late = new ConnectionInfo("127.0.0.1", "tcp", latePort, ports.iopubPort(), ports.stdinPort(),
        ports.controlPort(), ports.hbPort(), KEY, "hmac-sha256");
    loop.run(() -> connections.connect("late", late));
    WireMessage request = GatewayMessages.create("kernel_info_request", null, new JsonObject());
    Future<Boolean> written = loop.call(() -> connections.send("late", Channel.SHELL, request));
    ZMQ.Socket lateShell = peers.createSocket(SocketType.ROUTER);
    lateShell.bind("tcp://127.0.0.1:" + latePort);
    List<byte[]> frames = receiveAll(lateShell);
    assertThat(frames.get(3)).isEqualTo(request.header());
    assertThat(written.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void theConnectionComesBackWhenTheKernelListensAgain() throws Exception {
    send(Channel.SHELL, GatewayMessages.create("kernel_info_request", null, new JsonObject()));
    assertThat(receiveAll(shell)).isNotEmpty();
    int shellPort = ports.shellPort();
    peers.destroySocket(shell);
    ZMQ.Socket restarted = bindWhenFree(SocketType.ROUTER, shellPort);
    // A message written while the old connection was dying is lost, as with ZMQ: ask until one gets through.
    restarted.setReceiveTimeOut(100);
    long deadline = System.currentTimeMillis() + 10_000;
    byte[] identity = null;
    while (identity == null && System.currentTimeMillis() < deadline) {
      send(Channel.SHELL, GatewayMessages.create("kernel_info_request", null, new JsonObject()));
      identity = restarted.recv(0);
    }
    assertThat(identity).as("a request reached the kernel listening again").isNotNull();
  }

  @Test
  void aMessageForAnUnknownKernelIsRefused() {
    assertThat(loop.call(() -> connections.send("nobody", Channel.SHELL,
        GatewayMessages.create("kernel_info_request", null, new JsonObject()))).result()).isFalse();
  }

  private boolean send(Channel channel, WireMessage message) {
    Future<Boolean> written = loop.call(() -> connections.send("k1", channel, message));
    try {
      return written.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception failed) {
      throw new AssertionError(failed);
    }
  }

  /** The XPUB peer hears the SUB's subscription: from then on what it publishes is delivered. */
  private void awaitSubscribed() {
    iopub.setReceiveTimeOut(10_000);
    byte[] subscription = iopub.recv(0);
    assertThat(subscription).as("the iopub subscription").containsExactly(1);
  }

  private ZMQ.Socket bind(SocketType type) {
    ZMQ.Socket socket = peers.createSocket(type);
    socket.bindToRandomPort("tcp://127.0.0.1");
    return socket;
  }

  /** JeroMQ closes a listener on its own thread, after destroySocket returned: the port frees a moment later. */
  private ZMQ.Socket bindWhenFree(SocketType type, int port) throws InterruptedException {
    ZMQ.Socket socket = peers.createSocket(type);
    long deadline = System.currentTimeMillis() + 10_000;
    while (true) {
      try {
        socket.bind("tcp://127.0.0.1:" + port);
        return socket;
      } catch (org.zeromq.ZMQException inUse) {
        if (System.currentTimeMillis() > deadline) {
          throw inUse;
        }
        Thread.sleep(20);
      }
    }
  }

  private static int port(ZMQ.Socket socket) {
    String endpoint = socket.getLastEndpoint();
    return Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
  }

  private static WireMessage reply(String msgType, WireMessage request, String content) {
    return new WireMessage(GatewayMessages.create(msgType, null, new JsonObject()).header(), request.header(),
        "{}".getBytes(StandardCharsets.UTF_8), content.getBytes(StandardCharsets.UTF_8), List.of());
  }

  private static void sendFrames(ZMQ.Socket socket, List<byte[]> prefix, byte[] signature, WireMessage message) {
    prefix.forEach(socket::sendMore);
    socket.sendMore("<IDS|MSG>");
    socket.sendMore(signature);
    socket.sendMore(message.header());
    socket.sendMore(message.parentHeader());
    socket.sendMore(message.metadata());
    List<byte[]> buffers = message.buffers();
    socket.send(message.content(), buffers.isEmpty() ? 0 : ZMQ.SNDMORE);
    for (int i = 0; i < buffers.size(); i++) {
      socket.send(buffers.get(i), i < buffers.size() - 1 ? ZMQ.SNDMORE : 0);
    }
  }

  private static List<byte[]> receiveAll(ZMQ.Socket socket) {
    List<byte[]> frames = new ArrayList<>();
    socket.setReceiveTimeOut(10_000);
    byte[] first = socket.recv(0);
    assertThat(first).as("a message within 10 s").isNotNull();
    frames.add(first);
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv(0));
    }
    return frames;
  }
}
