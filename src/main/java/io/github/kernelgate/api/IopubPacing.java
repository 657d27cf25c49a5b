package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces one kernel's iopub to its clients. While any client has more than its budget of output
 * queued, new iopub messages are held here (one copy for all clients, not one per client) and the
 * ZMQ bridge stops reading the kernel's iopub, so the rest of a burst waits in ZMQ and in the
 * kernel rather than in the gateway's memory. A client that reads, however slowly, paces the
 * output; one that is over budget and has taken nothing for the slow-client timeout while output
 * is held back is closed (1008) and the others go on: one stalled browser tab must not stop
 * everyone's output, and must not make the gateway buffer without end either.
 */
final class IopubPacing {

  private static final Logger LOG = LoggerFactory.getLogger(IopubPacing.class);

  private final Vertx vertx;
  private final String kernelId;
  private final long slowClientMillis;
  private final List<ClientConnection> clients;
  private final Consumer<SequencedMessage> deliver;
  private final ArrayDeque<SequencedMessage> held = new ArrayDeque<>();
  private boolean iopubStopped;
  private boolean releasing;
  private long timer = -1;

  /** {@code clients} is the hub's live list; {@code deliver} sends one message to every client. */
  IopubPacing(Vertx vertx, String kernelId, long slowClientMillis, List<ClientConnection> clients, Consumer<SequencedMessage> deliver) {
    this.vertx = vertx;
    this.kernelId = kernelId;
    this.slowClientMillis = slowClientMillis;
    this.clients = clients;
    this.deliver = deliver;
  }

  /** An iopub message from the kernel: delivered now, or held until every client is within its budget. */
  void offer(SequencedMessage message) {
    if (held.isEmpty() && !anyClientOverBudget()) {
      deliver.accept(message);
      return;
    }
    held.add(message);
    if (!iopubStopped) {
      iopubStopped = true;
      setReading(false);
    }
    armTimer();
  }

  /** A client's backlog shrank or a client left: delivers what was held, as far as the budgets allow. */
  void release() {
    if (releasing) {
      // A write that completed at once (a closed socket) must not deliver the next message before this one reached every client.
      return;
    }
    releasing = true;
    try {
      while (!held.isEmpty() && !anyClientOverBudget()) {
        deliver.accept(held.poll());
      }
    } finally {
      releasing = false;
    }
    if (!held.isEmpty()) {
      armTimer();
    } else {
      // Nothing waits: read on. If a client is still over budget, the next message is held and times it.
      cancelTimer();
      if (iopubStopped) {
        iopubStopped = false;
        setReading(true);
      }
    }
  }

  /** The last client left: nobody is owed the held output. */
  void discard() {
    held.clear();
    release();
  }

  private boolean anyClientOverBudget() {
    for (ClientConnection client : clients) {
      if (client.isOverBudget()) {
        return true;
      }
    }
    return false;
  }

  private void armTimer() {
    if (timer >= 0 || held.isEmpty()) {
      return;
    }
    long due = Long.MAX_VALUE;
    for (ClientConnection client : clients) {
      if (client.isOverBudget()) {
        due = Math.min(due, client.lastProgress() + slowClientMillis);
      }
    }
    if (due == Long.MAX_VALUE) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, due - System.currentTimeMillis()), fired -> {
      timer = -1;
      closeStalledClients();
    });
  }

  private void closeStalledClients() {
    if (held.isEmpty()) {
      return;
    }
    long now = System.currentTimeMillis();
    for (ClientConnection client : List.copyOf(clients)) {
      if (client.isOverBudget() && now - client.lastProgress() >= slowClientMillis) {
        LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("session", client.sessionId())
            .addKeyValue("backlog_bytes", client.pendingBytes())
            .log("closing a client that took no output for {} ms while output was held for it", now - client.lastProgress());
        client.close((short) 1008, "client too slow: took no output for " + slowClientMillis / 1000 + " s");
      }
    }
    release();
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void setReading(boolean reading) {
    vertx.eventBus().send(Addresses.ZMQ_READ_IOPUB, new JsonObject().put("kernel_id", kernelId).put("reading", reading));
  }
}
