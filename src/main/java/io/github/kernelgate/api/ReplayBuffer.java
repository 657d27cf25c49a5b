package io.github.kernelgate.api;

import io.github.kernelgate.ops.ClientMetrics;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.ListIterator;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a kernel sent while some of its sessions had no open WebSocket, kept until they come back.
 * A session is away from the moment its last WebSocket closes (cleanly or not) until a WebSocket
 * opens with its session id; it is owed every iopub message and the replies to its own requests.
 * The buffer is bounded in bytes per kernel (one copy per message, however many sessions are
 * owed it): past the bound the oldest message goes, and the loss is logged and counted.
 * Messages are kept in the order the kernel sent them (their hub sequence number), even when a
 * failed write hands one back late.
 */
final class ReplayBuffer {

  private static final Logger LOG = LoggerFactory.getLogger(ReplayBuffer.class);

  private record Entry(SequencedMessage sent, Set<String> owedTo) {
  }

  private final String kernelId;
  private final long maxBytes;
  private final LinkedList<Entry> entries = new LinkedList<>();
  private final Set<String> away = new HashSet<>();
  private long bytes;
  private long droppedMessages;
  private final ClientMetrics metrics;

  ReplayBuffer(String kernelId, long maxBytes, ClientMetrics metrics) {
    this.kernelId = kernelId;
    this.maxBytes = maxBytes;
    this.metrics = metrics;
  }

  void sessionLeft(String sessionId) {
    away.add(sessionId);
  }

  boolean isAway(String sessionId) {
    return away.contains(sessionId);
  }

  boolean anyoneAway() {
    return !away.isEmpty();
  }

  /** An iopub message: kept for every session that is away. */
  void keepForEveryoneAway(SequencedMessage sent) {
    if (!away.isEmpty()) {
      insert(new Entry(sent, new HashSet<>(away)));
    }
  }

  /** A message for one session (a reply, an input_request, or a write that failed): kept if that session is away. */
  void keepFor(String sessionId, SequencedMessage sent) {
    if (away.contains(sessionId)) {
      insert(new Entry(sent, new HashSet<>(Set.of(sessionId))));
    }
  }

  /** The session is back: answers what it is owed, oldest first, and forgets it. */
  List<SequencedMessage> sessionReturned(String sessionId) {
    if (!away.remove(sessionId)) {
      return List.of();
    }
    List<SequencedMessage> owed = new ArrayList<>();
    for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.owedTo().remove(sessionId)) {
        owed.add(entry.sent());
        if (entry.owedTo().isEmpty()) {
          it.remove();
          bytes -= entry.sent().size();
          metrics.replayBytesChanged(-entry.sent().size());
        }
      }
    }
    return owed;
  }

  /** Forgets everything (the kernel is gone). */
  void clear() {
    entries.clear();
    away.clear();
    metrics.replayBytesChanged(-bytes);
    bytes = 0;
  }

  long bytes() {
    return bytes;
  }

  long droppedMessages() {
    return droppedMessages;
  }

  private void insert(Entry entry) {
    ListIterator<Entry> it = entries.listIterator(entries.size());
    while (it.hasPrevious()) {
      if (it.previous().sent().sequence() < entry.sent().sequence()) {
        it.next();
        break;
      }
    }
    it.add(entry);
    bytes += entry.sent().size();
    metrics.replayBytesChanged(entry.sent().size());
    while (bytes > maxBytes && !entries.isEmpty()) {
      Entry oldest = entries.removeFirst();
      bytes -= oldest.sent().size();
      metrics.replayBytesChanged(-oldest.sent().size());
      metrics.replayDropped();
      droppedMessages++;
      LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("msg_type", oldest.sent().message().msgType())
          .addKeyValue("sessions", oldest.owedTo()).addKeyValue("limit_bytes", maxBytes)
          .addKeyValue("dropped_total", droppedMessages).log("replay buffer full: oldest message dropped");
    }
  }
}
