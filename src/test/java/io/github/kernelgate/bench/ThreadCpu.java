package io.github.kernelgate.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * CPU time of chosen threads of this JVM: the calling thread and the threads a client started
 * (the threads with a given name prefix that did not exist before it was made). It
 * gives the floor of the CPU figure: what a bare JeroMQ client spends on the same executes.
 */
final class ThreadCpu {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final long callerId = Thread.currentThread().getId();
  private final long[] startedIds;

  private ThreadCpu(long[] startedIds) {
    this.startedIds = startedIds;
  }

  /** The ids of this JVM's threads now: give them to {@link #startedSince} once the client is made. */
  static Set<Long> liveThreads() {
    Set<Long> ids = new HashSet<>();
    Arrays.stream(THREADS.getAllThreadIds()).forEach(ids::add);
    return ids;
  }

  /** The calling thread and the threads named {@code prefix}... that were not among {@code before}. */
  static ThreadCpu startedSince(Set<Long> before, String prefix) {
    long[] started = Arrays.stream(THREADS.getThreadInfo(THREADS.getAllThreadIds()))
        .filter(info -> info != null && !before.contains(info.getThreadId()) && info.getThreadName().startsWith(prefix))
        .mapToLong(ThreadInfo::getThreadId).toArray();
    return new ThreadCpu(started);
  }

  /** The calling thread alone. */
  static ThreadCpu callerOnly() {
    return new ThreadCpu(new long[0]);
  }

  /** CPU seconds of the calling thread (the one that made this) and of the client's threads so far. */
  double seconds() {
    return THREADS.getThreadCpuTime(callerId) / 1e9 + startedThreadsSeconds();
  }

  /** CPU seconds of the client's threads alone so far. */
  double startedThreadsSeconds() {
    long nanos = 0;
    for (long id : startedIds) {
      nanos += Math.max(0, THREADS.getThreadCpuTime(id));
    }
    return nanos / 1e9;
  }

  /** How many of the client's threads were found (a figure built on none would be wrong). */
  int threads() {
    return startedIds.length;
  }
}
