package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.ClientMessage;
import io.github.kernelgate.protocol.GatewayMessages;
import io.github.kernelgate.protocol.HeaderFields;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.OutgoingMessage;
import io.github.kernelgate.ops.ClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients of one kernel, by session. iopub goes to every open client, paced by
 * {@link IopubPacing}; a shell, control or stdin message goes to the session whose request it
 * answers (matched by the parent's msg_id), so input_request reaches the client that ran the cell,
 * and a client that reconnects under the same session id still gets its reply. What is meant for
 * a session without an open WebSocket waits in the {@link ReplayBuffer} for its return.
 */
final class KernelClientHub {

  private static final Logger LOG = LoggerFactory.getLogger(KernelClientHub.class);

  /** Requests that never get a reply (comm messages) must not accumulate forever. */
  private static final int MAX_ROUTES = 10_000;

  private final Vertx vertx;
  private final String kernelId;
  private final List<ClientConnection> clients = new ArrayList<>();
  /** Request msg_id to the session that sent it. */
  private final Map<String, String> routes = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX_ROUTES;
    }
  };
  private final IopubPacing iopub;
  private final ReplayBuffer replay;
  private final ClientMetrics metrics;
  private MessageConsumer<KernelMessage> kernelMessages;
  private long sequence;
  /** Until then (epoch ms) the kernel's clients are expected back from a replica that left (see {@link #expectReturningClients}). */
  private long expectingReturnsUntil;

  KernelClientHub(Vertx vertx, String kernelId, long slowClientMillis, long replayBytes, ClientMetrics metrics) {
    this.vertx = vertx;
    this.kernelId = kernelId;
    this.iopub = new IopubPacing(vertx, kernelId, slowClientMillis, clients, this::toEveryone);
    this.replay = new ReplayBuffer(kernelId, replayBytes, metrics);
    this.metrics = metrics;
  }

  /** A new WebSocket: it first gets what its session is owed, in order, then live traffic. */
  void attach(ClientConnection client) {
    listen();
    client.onBacklogShrank(iopub::release);
    client.onUndelivered(lost -> replay.keepFor(client.sessionId(), lost));
    List<SequencedMessage> owed = replay.sessionReturned(client.sessionId());
    if (!owed.isEmpty()) {
      LOG.atDebug().addKeyValue("kernel_id", kernelId).addKeyValue("session", client.sessionId())
          .addKeyValue("messages", owed.size()).log("replaying to a returning session");
    }
    owed.forEach(client::send);
    clients.add(client);
    vertx.eventBus().send(Addresses.KERNEL_CLIENT_ATTACHED, new JsonObject().put("kernel_id", kernelId));
  }

  private void listen() {
    if (kernelMessages == null) {
      kernelMessages = vertx.eventBus().localConsumer(Addresses.kernelMessages(kernelId), message -> fromKernel(message.body()));
    }
  }

  /**
   * The kernel was just taken over from a replica that left the cluster: its clients were that
   * replica's, and they will reconnect here under their session ids. For {@code graceMillis}, a
   * kernel message answering a request of a session that has no client here is kept for that
   * session (its requests' routes died with the other replica, but the request's header names its
   * session), so the output of a cell that ran through the failover reaches the returning client.
   */
  void expectReturningClients(long graceMillis) {
    listen();
    expectingReturnsUntil = System.currentTimeMillis() + graceMillis;
  }

  /** A WebSocket is over: its session is away (unless it has another) and is owed what follows. */
  void detach(ClientConnection client) {
    if (!clients.remove(client)) {
      return;
    }
    if (openClientOf(client.sessionId()) == null) {
      replay.sessionLeft(client.sessionId());
    }
    vertx.eventBus().send(Addresses.KERNEL_CLIENT_DETACHED, new JsonObject().put("kernel_id", kernelId));
    iopub.release();
  }

  /** The kernel is gone for good: nothing more will come, and nobody is owed anything. */
  void close() {
    if (kernelMessages != null) {
      kernelMessages.unregister();
      kernelMessages = null;
    }
    iopub.discard();
    replay.clear();
  }

  /** Passes a client's message to the kernel; the future completes once ZMQ took it (or dropped it). */
  Future<?> fromClient(ClientConnection client, ClientMessage message) {
    if (message.channel() == Channel.SHELL || message.channel() == Channel.CONTROL) {
      routes.put(message.msgId(), client.sessionId());
    }
    return vertx.eventBus().request(Addresses.ZMQ_SEND, new OutgoingMessage(kernelId, message.channel(), message.message()));
  }

  private void fromKernel(KernelMessage message) {
    SequencedMessage sent = new SequencedMessage(++sequence, message);
    String returning = expectingReturnsUntil > 0 ? returningSessionOf(message) : null;
    if (message.channel() == Channel.IOPUB) {
      iopub.offer(sent);
      return;
    }
    String parent = message.parentMsgId();
    // stdin requests arrive while the request is still running: keep its route until the shell reply.
    String session = parent == null ? null
        : message.channel() == Channel.STDIN ? routes.get(parent) : routes.remove(parent);
    if (session == null) {
      session = returning;
    }
    if (session == null) {
      return;
    }
    ClientConnection client = openClientOf(session);
    if (client != null) {
      client.send(sent);
      handedToClients(message);
    } else {
      replay.keepFor(session, sent);
    }
  }

  /**
   * While clients are expected back, the session named by the message's parent header if it has
   * no client here: it is taken for away from now on, so it is owed what follows.
   */
  private String returningSessionOf(KernelMessage message) {
    if (System.currentTimeMillis() > expectingReturnsUntil) {
      expectingReturnsUntil = 0;
      return null;
    }
    String session = HeaderFields.read(message.message().parentHeader(), "session");
    // The gateway's own requests (kernel_info nudges, interrupts) come from no client.
    if (session == null || session.isEmpty() || GatewayMessages.GATEWAY_SESSION.equals(session) || openClientOf(session) != null) {
      return null;
    }
    if (!replay.isAway(session)) {
      replay.sessionLeft(session);
    }
    return session;
  }

  private void toEveryone(SequencedMessage sent) {
    MessageFrames frames = clients.size() > 1 ? MessageFrames.forSeveralClients(sent) : MessageFrames.forOneClient(sent);
    for (ClientConnection client : clients) {
      client.send(frames);
    }
    if (!clients.isEmpty()) {
      handedToClients(sent.message());
    }
    replay.keepForEveryoneAway(sent);
  }

  private void handedToClients(KernelMessage message) {
    metrics.messageHeld(message.message().size(), System.nanoTime() - message.arrivedNanos());
  }

  /** The most recent open WebSocket of the session, if any. */
  private ClientConnection openClientOf(String sessionId) {
    for (int i = clients.size() - 1; i >= 0; i--) {
      ClientConnection client = clients.get(i);
      if (client.sessionId().equals(sessionId) && !client.isClosed()) {
        return client;
      }
    }
    return null;
  }

  /**
   * Lifecycle news: an automatic restart's restarting and starting, and dead, become iopub status
   * messages; a restart of either kind ends the old process's routes as it begins (a reply to a
   * request sent once the new process is up must not be dropped); shutdown closes the sockets.
   */
  void stateChanged(String state) {
    List<ClientConnection> current = new ArrayList<>(clients);
    switch (state) {
      case "restarting", "starting" -> current.forEach(client -> client.sendStatus(state));
      case "dead" -> current.forEach(client -> client.sendStatus("dead"));
      case "shutdown" -> current.forEach(client -> {
        client.sendStatus("dead");
        client.close((short) 1000, "kernel shut down");
      });
      // 1012 (service restart): the client reconnects, and is relayed to the replica that serves the kernel now.
      case "moved" -> current.forEach(client -> client.close((short) 1012, "kernel served by another replica"));
      default -> {
        // Other states carry no client-visible news.
      }
    }
    if ("restarting".equals(state) || "restart-requested".equals(state)) {
      // The old process's requests will never be answered.
      routes.clear();
    }
  }
}
