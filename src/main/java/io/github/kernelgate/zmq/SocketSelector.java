package io.github.kernelgate.zmq;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.zeromq.ZMQ;

/**
 * Waits until any of many ZMQ sockets has a message, at a cost that follows the sockets that are
 * ready rather than all of them. Each socket's file descriptor is registered once in one
 * {@link Selector}. JeroMQ's own poll (and ZPoller over it) re-registers and asks every socket
 * for its events on each call, which at 500 kernels (2500 sockets) made every message cost that
 * much more.
 *
 * <p>A ZMQ socket's descriptor only says that the socket has commands to process, and any
 * operation on the socket (a send included) may process them silently. So a socket is checked
 * for messages when its descriptor is selected, when {@link #recheck} says an operation touched
 * it, and again on the next turn when its reader left messages behind.
 *
 * <p>Used by one thread only, like the sockets themselves.
 */
final class SocketSelector implements AutoCloseable {

  /** Reads what a socket holds; answers true when it stopped with messages left (a burst limit). */
  interface Reader {
    boolean read();
  }

  private static final class Watched {
    final ZMQ.Socket socket;
    final Reader reader;
    final SelectionKey key;
    boolean reading = true;
    boolean pending;

    Watched(ZMQ.Socket socket, Reader reader, SelectionKey key) {
      this.socket = socket;
      this.reader = reader;
      this.key = key;
    }
  }

  private final Selector selector;
  private final Map<ZMQ.Socket, Watched> watched = new HashMap<>();
  /** Sockets to ask for messages this turn whether or not their descriptor was selected. */
  private List<Watched> pending = new ArrayList<>();
  private List<Watched> checking = new ArrayList<>();

  SocketSelector() {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a selector for the ZMQ sockets", e);
    }
  }

  /** Watches a plain channel (not a ZMQ socket): {@code onReadable} runs each time it is selected. */
  void watchChannel(SelectableChannel channel, Runnable onReadable) {
    try {
      channel.register(selector, SelectionKey.OP_READ, onReadable);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + channel, e);
    }
  }

  void watch(ZMQ.Socket socket, Reader reader) {
    try {
      SelectionKey key = socket.getFD().register(selector, SelectionKey.OP_READ);
      Watched entry = new Watched(socket, reader, key);
      key.attach(entry);
      watched.put(socket, entry);
      // Messages may have arrived before the descriptor was registered.
      markPending(entry);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch a ZMQ socket", e);
    }
  }

  /** Forgets a socket; call before closing it. */
  void forget(ZMQ.Socket socket) {
    Watched entry = watched.remove(socket);
    if (entry != null) {
      entry.key.cancel();
      entry.reading = false;
    }
  }

  /**
   * Stops or resumes reading a socket. While stopped its messages stay in its queue; its
   * descriptor is not watched either, else a pending command would wake every turn.
   */
  void setReading(ZMQ.Socket socket, boolean reading) {
    Watched entry = watched.get(socket);
    if (entry == null || entry.reading == reading) {
      return;
    }
    entry.reading = reading;
    entry.key.interestOps(reading ? SelectionKey.OP_READ : 0);
    if (reading) {
      markPending(entry);
    }
  }

  /** An operation on the socket (a send) may have consumed its descriptor's signal: look at it this turn. */
  void recheck(ZMQ.Socket socket) {
    Watched entry = watched.get(socket);
    if (entry != null) {
      markPending(entry);
    }
  }

  /**
   * Waits at most {@code timeoutMillis} (negative: without limit; no wait at all while a socket
   * is pending) and reads every socket that has messages.
   */
  void select(long timeoutMillis) {
    // The action form: the selected-key set would keep the size of its largest burst, and clearing
    // it each turn cost as much (all kernels' heartbeat replies arrive together).
    try {
      if (!pending.isEmpty() || timeoutMillis == 0) {
        selector.selectNow(this::selected);
      } else {
        selector.select(this::selected, Math.max(0, timeoutMillis));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the ZMQ selector failed", e);
    }
    readPending();
  }

  private void selected(SelectionKey key) {
    if (key.attachment() instanceof Watched entry) {
      markPending(entry);
    } else if (key.isValid()) {
      ((Runnable) key.attachment()).run();
    }
  }

  private void readPending() {
    // Swapped, so readers may mark sockets (their own included) for the next turn.
    List<Watched> now = pending;
    pending = checking;
    checking = now;
    for (Watched entry : now) {
      entry.pending = false;
    }
    for (Watched entry : now) {
      if (entry.reading && (entry.socket.getEvents() & ZMQ.Poller.POLLIN) != 0 && entry.reader.read()) {
        markPending(entry);
      }
    }
    now.clear();
  }

  private void markPending(Watched entry) {
    if (!entry.pending) {
      entry.pending = true;
      pending.add(entry);
    }
  }

  @Override
  public void close() {
    try {
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the ZMQ selector", e);
    }
  }
}
