package io.github.kernelgate.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.MessageSigner;
import io.github.kernelgate.protocol.WireMessage;
import io.vertx.core.json.JsonObject;
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
 * The socket-owner thread against scripted ZMQ peers (edge cases a real kernel will not produce
 * on demand): signatures are checked both ways and a silent heartbeat is reported.
 */
class SocketOwnerTest {

  private static final String KEY = "test-key";

  private final ZContext peers = new ZContext();
  private final BlockingQueue<KernelMessage> received = new LinkedBlockingQueue<>();
  private final CountDownLatch heartbeatLost = new CountDownLatch(1);
  private ZMQ.Socket shell;
  private ZMQ.Socket heartbeat;
  private SocketOwner owner;

  @BeforeEach
  void startPeersAndOwner() {
    shell = peers.createSocket(SocketType.ROUTER);
    int shellPort = shell.bindToRandomPort("tcp://127.0.0.1");
    heartbeat = peers.createSocket(SocketType.REP);
    int hbPort = heartbeat.bindToRandomPort("tcp://127.0.0.1");
    List<Integer> unused = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      unused.add(peers.createSocket(SocketType.PUB).bindToRandomPort("tcp://127.0.0.1"));
    }
    owner = new SocketOwner(new MessageSink() {
      @Override
      public void received(KernelMessage message, boolean reportActivity) {
        received.add(message);
      }

      @Override
      public void heartbeatLost(String kernelId) {
        heartbeatLost.countDown();
        // A failing listener must not take the thread down (it once did: beat() ran unguarded).
        throw new IllegalStateException("listener failure injected by the test");
      }
    }, 100, 1_000);
    owner.start();
    owner.connect("k1", new ConnectionInfo("127.0.0.1", "tcp", shellPort, unused.get(0), unused.get(1), unused.get(2), hbPort,
        KEY, "hmac-sha256")).join();
  }

  @AfterEach
  void stop() throws InterruptedException {
    owner.stop();
    peers.close();
  }

  @Test
  void outgoingMessagesAreSignedAndBadlySignedRepliesAreDropped() throws Exception {
    WireMessage request = GatewayMessages.create("kernel_info_request", null, new JsonObject());
    owner.send("k1", Channel.SHELL, request);
    List<byte[]> frames = receiveAll(shell);
    byte[] identity = frames.get(0);
    assertThat(new String(frames.get(1), StandardCharsets.US_ASCII)).isEqualTo("<IDS|MSG>");
    MessageSigner signer = new MessageSigner(KEY);
    WireMessage sent = new WireMessage(frames.get(3), frames.get(4), frames.get(5), frames.get(6), List.of());
    assertThat(signer.verify(frames.get(2), sent)).isTrue();

    WireMessage reply = new WireMessage(GatewayMessages.create("kernel_info_reply", null, new JsonObject()).header(),
        request.header(), "{}".getBytes(StandardCharsets.UTF_8), "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8), List.of());
    sendFrames(identity, "0000bad0".getBytes(StandardCharsets.US_ASCII), reply);
    sendFrames(identity, signer.sign(reply), reply);

    KernelMessage accepted = received.poll(5, TimeUnit.SECONDS);
    assertThat(accepted).isNotNull();
    assertThat(accepted.msgType()).isEqualTo("kernel_info_reply");
    assertThat(accepted.parentMsgId()).isEqualTo(GatewayMessages.msgId(request));
    assertThat(received.poll(300, TimeUnit.MILLISECONDS)).as("the badly signed copy must not arrive").isNull();
  }

  /** Five sockets per kernel: JeroMQ's default limit of 1024 per context once stopped launches at 204 kernels. */
  @Test
  void moreKernelsConnectThanJeroMqsDefaultSocketLimitAllows() throws Exception {
    // ZMQ connects whether or not a peer listens: the ports of k1 serve every kernel here.
    ConnectionInfo ports = new ConnectionInfo("127.0.0.1", "tcp", 1, 2, 3, 4, 5, KEY, "hmac-sha256");
    for (int i = 0; i < 300; i++) {
      owner.connect("many-" + i, ports).get(10, TimeUnit.SECONDS);
    }
    for (int i = 0; i < 300; i++) {
      owner.disconnect("many-" + i);
    }
    WireMessage request = GatewayMessages.create("kernel_info_request", null, new JsonObject());
    owner.send("k1", Channel.SHELL, request);
    assertThat(receiveAll(shell)).as("the first kernel is still served").isNotEmpty();
  }

  /**
   * Commands from several threads at once each wake the thread: none waits for the heartbeat
   * timeout. (The wake-up flag was once cleared before the pipe was emptied, so a wake-up could
   * be read while its flag stayed set, and commands then waited for the next heartbeat.)
   */
  @Test
  void commandsFromManyThreadsAreServedWithoutWaitingForTheHeartbeat() throws Exception {
    SocketOwner slowBeats = new SocketOwner(new CollectingSink(), 600_000, 1_000);
    slowBeats.start();
    try {
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread thread = new Thread(() -> {
          try {
            for (int i = 0; i < 5_000; i++) {
              slowBeats.ping().get(20, TimeUnit.SECONDS);
            }
          } catch (Exception e) {
            failures.add(e);
          }
        });
        threads.add(thread);
        thread.start();
      }
      for (Thread thread : threads) {
        thread.join();
      }
      assertThat(failures).as("every command is served without waiting 10 minutes for a heartbeat").isEmpty();
    } finally {
      slowBeats.stop();
    }
  }

  @Test
  void silentHeartbeatIsReported() throws Exception {
    // Answer a few pings, then fall silent as a hung kernel would.
    for (int i = 0; i < 3; i++) {
      byte[] ping = heartbeat.recv(0);
      heartbeat.send(ping, 0);
    }
    assertThat(heartbeatLost.await(5, TimeUnit.SECONDS)).isTrue();
  }

  /** Verifies that the thread survives a failure in its heartbeat step and keeps serving kernels. */
  @Test
  void aFailingHeartbeatStepDoesNotKillTheThread() throws Exception {
    assertThat(heartbeatLost.await(5, TimeUnit.SECONDS)).as("the silent heartbeat throws in the listener").isTrue();
    WireMessage request = GatewayMessages.create("kernel_info_request", null, new JsonObject());
    owner.send("k1", Channel.SHELL, request);
    List<byte[]> frames = receiveAll(shell);
    assertThat(frames).hasSizeGreaterThan(3);
    assertThat(owner.isAlive()).isTrue();
  }

  private void sendFrames(byte[] identity, byte[] signature, WireMessage message) {
    shell.sendMore(identity);
    shell.sendMore("<IDS|MSG>");
    shell.sendMore(signature);
    shell.sendMore(message.header());
    shell.sendMore(message.parentHeader());
    shell.sendMore(message.metadata());
    shell.send(message.content(), 0);
  }

  private static List<byte[]> receiveAll(ZMQ.Socket socket) {
    List<byte[]> frames = new ArrayList<>();
    socket.setReceiveTimeOut(5_000);
    frames.add(socket.recv(0));
    while (socket.hasReceiveMore()) {
      frames.add(socket.recv(0));
    }
    return frames;
  }
}
