package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.protocol.ClientMessage;
import io.github.kernelgate.protocol.KernelMessage;
import io.github.kernelgate.protocol.OutgoingMessage;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The clients attached to one kernel. iopub goes to every client, paced by {@link IopubPacing};
 * a shell, control or stdin message goes only to the client whose request it answers (matched by
 * the parent's msg_id), so input_request reaches the client that ran the cell.
 */
final class KernelClientHub {

  /** Requests that never get a reply (comm messages) must not accumulate forever. */
  private static final int MAX_ROUTES = 10_000;

  private final Vertx vertx;
  private final String kernelId;
  private final List<ClientConnection> clients = new ArrayList<>();
  private final Map<String, ClientConnection> routes = new LinkedHashMap<>(256, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ClientConnection> eldest) {
      return size() > MAX_ROUTES;
    }
  };
  private final IopubPacing iopub;
  private MessageConsumer<KernelMessage> kernelMessages;

  KernelClientHub(Vertx vertx, String kernelId, long slowClientMillis) {
    this.vertx = vertx;
    this.kernelId = kernelId;
    this.iopub = new IopubPacing(vertx, kernelId, slowClientMillis, clients, this::toEveryClient);
  }

  void attach(ClientConnection client) {
    if (kernelMessages == null) {
      kernelMessages = vertx.eventBus().localConsumer(Addresses.kernelMessages(kernelId), message -> fromKernel(message.body()));
    }
    clients.add(client);
    client.onBacklogShrank(iopub::release);
    vertx.eventBus().send(Addresses.KERNEL_CLIENT_ATTACHED, new JsonObject().put("kernel_id", kernelId));
  }

  /** Removes a closed client; answers whether the hub is now empty. */
  boolean detach(ClientConnection client) {
    clients.remove(client);
    routes.values().removeIf(owner -> owner == client);
    vertx.eventBus().send(Addresses.KERNEL_CLIENT_DETACHED, new JsonObject().put("kernel_id", kernelId));
    if (clients.isEmpty() && kernelMessages != null) {
      kernelMessages.unregister();
      kernelMessages = null;
    }
    if (clients.isEmpty()) {
      iopub.discard();
    } else {
      iopub.release();
    }
    return clients.isEmpty();
  }

  /** Passes a client's message to the kernel; the future completes once ZMQ took it (or dropped it). */
  Future<?> fromClient(ClientConnection client, ClientMessage message) {
    if (message.channel() == Channel.SHELL || message.channel() == Channel.CONTROL) {
      routes.put(message.msgId(), client);
    }
    return vertx.eventBus().request(Addresses.ZMQ_SEND, new OutgoingMessage(kernelId, message.channel(), message.message()));
  }

  private void fromKernel(KernelMessage message) {
    if (message.channel() == Channel.IOPUB) {
      iopub.offer(message);
      return;
    }
    String parent = message.parentMsgId();
    // stdin requests arrive while the request is still running: keep its route until the shell reply.
    ClientConnection owner = parent == null ? null
        : message.channel() == Channel.STDIN ? routes.get(parent) : routes.remove(parent);
    if (owner != null) {
      owner.send(message.channel(), message.message(), message.msgId(), message.msgType());
    }
  }

  private void toEveryClient(KernelMessage message) {
    for (ClientConnection client : clients) {
      client.send(message.channel(), message.message(), message.msgId(), message.msgType());
    }
  }

  /** Lifecycle news: restarting, starting and dead become iopub status messages; shutdown closes the sockets. */
  void stateChanged(String state) {
    List<ClientConnection> current = new ArrayList<>(clients);
    switch (state) {
      case "restarting", "starting" -> current.forEach(client -> client.sendStatus(state));
      case "dead" -> current.forEach(client -> client.sendStatus("dead"));
      case "shutdown" -> current.forEach(client -> {
        client.sendStatus("dead");
        client.close((short) 1000, "kernel shut down");
      });
      default -> {
        // Other states carry no client-visible news.
      }
    }
    if ("starting".equals(state)) {
      routes.clear();
    }
  }
}
