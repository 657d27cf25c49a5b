package io.github.kernelgate.plugin.testkit;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProxyClient;
import io.github.kernelgate.plugin.ProxyContract;
import io.github.kernelgate.plugin.ProxyFailure;
import io.github.kernelgate.plugin.ProxyVerbs;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs a process proxy through the contract the way the gateway uses it, over the event bus
 * (so an in-process proxy and one in its own process are checked alike), and reports every rule
 * it checked: launch, heartbeat port, liveness, signals, wait-exit, kill, cleanup, idempotency,
 * the exit event and the error shape. It launches two real kernels and cleans up after itself.
 *
 * <pre>{@code
 * ContractReport report = new ContractKit(vertx, "acme.MyProxy", kernelId -> myRequest(kernelId)).run();
 * assertTrue(report.passed(), report.toString());
 * }</pre>
 *
 * {@link #run()} blocks: call it from a test's thread, never from an event loop. The proxy's
 * endpoint must be exposed on {@code vertx}'s bus (in the same process or clustered).
 */
public final class ContractKit {

  public static final String LAUNCH = "launch answers with connection info";
  public static final String LAUNCH_ID = "launch answers with a launch id";
  public static final String HEARTBEAT = "the kernel's heartbeat port accepts connections";
  public static final String ALIVE = "poll says a launched kernel is alive";
  public static final String SIGNAL_ZERO = "signal 0 (a liveness probe) succeeds";
  public static final String WAIT_WHILE_RUNNING = "wait-exit answers false when the kernel outlives the timeout";
  public static final String UNKNOWN_NOT_ALIVE = "poll says a kernel it never launched is not alive";
  public static final String ERROR_SHAPE = "a request without kernel_id fails with 400 and {reason, message}";
  public static final String KILL = "kill ends the kernel";
  public static final String WAIT_AFTER_KILL = "wait-exit answers true for an ended kernel";
  public static final String KILL_TWICE = "kill of an ended kernel succeeds";
  public static final String CLEANUP_TWICE = "cleanup succeeds, and again";
  public static final String UNKNOWN_IDEMPOTENT = "kill and cleanup of a kernel it never launched succeed";
  public static final String EXIT_EVENT = "a kernel that dies by itself is reported on " + ProxyContract.KERNEL_EXITED;

  /** How long one verb other than launch may take here; the gateway allows more, a healthy proxy needs far less. */
  private static final long VERB_MILLIS = ProxyClient.COMMAND_TIMEOUT_MILLIS;

  private final Vertx vertx;
  private final String proxyName;
  private final Function<String, LaunchRequest> requestFor;
  private final ProxyClient proxy;
  private final List<ContractCheck> checks = new ArrayList<>();
  /** How long a kernel may take to open its heartbeat port after the launch answered, and to be reported dead after a SIGKILL. */
  private long patienceMillis = 60_000;

  /**
   * @param requestFor builds the launch request of one of your kernels for a kernel id (argv, env,
   *                   kernel.json as your kernel specs would give them); the kit sets nothing else
   */
  public ContractKit(Vertx vertx, String proxyName, Function<String, LaunchRequest> requestFor) {
    this.vertx = vertx;
    this.proxyName = proxyName;
    this.requestFor = requestFor;
    this.proxy = new ProxyClient(vertx, proxyName);
  }

  /** Waits at most this long for the heartbeat port and the exit event (60 s unless set): shorter for a proxy known to fail. */
  public ContractKit waitingAtMost(java.time.Duration patience) {
    this.patienceMillis = patience.toMillis();
    return this;
  }

  /** Runs every check (a few seconds to a minute, mostly the two launches) and reports them. */
  public ContractReport run() {
    checks.clear();
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    try {
      LaunchResult launched = launch(first);
      if (launched != null) {
        checkRunningKernel(first, launched.connectionInfo());
        checkEnding(first);
      }
      checkUnknownKernels();
      checkErrorShape();
      checkExitEvent(second);
    } finally {
      for (String kernelId : List.of(first, second)) {
        awaitQuietly(proxy.kill(kernelId).transform(killed -> proxy.cleanup(kernelId)));
      }
    }
    return new ContractReport(proxyName, checks);
  }

  private LaunchResult launch(String kernelId) {
    LaunchRequest request = requestFor.apply(kernelId);
    try {
      LaunchResult result = await(proxy.launch(request), request.launchTimeoutMillis() + ProxyClient.LAUNCH_REPLY_MARGIN_MILLIS);
      ConnectionInfo info = result.connectionInfo();
      Set<Integer> ports = Stream.of(info.shellPort(), info.iopubPort(), info.stdinPort(), info.controlPort(), info.hbPort())
          .collect(Collectors.toSet());
      record(LAUNCH, ports.size() == 5 && info.ip() != null && !info.ip().isBlank(),
          "expected an ip and five distinct ports, got " + info);
      record(LAUNCH_ID, result.launchId() != null && !result.launchId().isBlank(), "the launch result has no launch_id");
      return result;
    } catch (Exception failed) {
      record(LAUNCH, false, describe(failed));
      return null;
    }
  }

  private void checkRunningKernel(String kernelId, ConnectionInfo info) {
    record(HEARTBEAT, heartbeatAccepts(info), "nothing accepted a connection on " + info.endpoint(info.hbPort())
        + " within " + patienceMillis + " ms");
    expect(ALIVE, () -> await(proxy.isAlive(kernelId), VERB_MILLIS), true);
    expect(SIGNAL_ZERO, () -> await(proxy.signal(kernelId, 0), VERB_MILLIS) == null, true);
    expect(WAIT_WHILE_RUNNING, () -> await(proxy.waitForExit(kernelId, 1_000), 1_000 + VERB_MILLIS), false);
  }

  private void checkEnding(String kernelId) {
    expect(KILL, () -> {
      await(proxy.kill(kernelId), VERB_MILLIS);
      return await(proxy.isAlive(kernelId), VERB_MILLIS);
    }, false);
    expect(WAIT_AFTER_KILL, () -> await(proxy.waitForExit(kernelId, 10_000), 10_000 + VERB_MILLIS), true);
    expect(KILL_TWICE, () -> await(proxy.kill(kernelId), VERB_MILLIS) == null, true);
    expect(CLEANUP_TWICE, () -> {
      await(proxy.cleanup(kernelId), VERB_MILLIS);
      await(proxy.cleanup(kernelId), VERB_MILLIS);
      return true;
    }, true);
  }

  private void checkUnknownKernels() {
    String stranger = UUID.randomUUID().toString();
    expect(UNKNOWN_NOT_ALIVE, () -> await(proxy.isAlive(stranger), VERB_MILLIS), false);
    expect(UNKNOWN_IDEMPOTENT, () -> {
      await(proxy.kill(stranger), VERB_MILLIS);
      await(proxy.cleanup(stranger), VERB_MILLIS);
      return true;
    }, true);
  }

  /** Sent as raw bus messages: the shape a gateway reads errors in, whatever helper the proxy uses. */
  private void checkErrorShape() {
    List<String> wrong = new ArrayList<>();
    for (String verb : List.of(ProxyVerbs.LAUNCH, ProxyVerbs.POLL, ProxyVerbs.KILL, ProxyVerbs.CLEANUP)) {
      try {
        vertx.eventBus().request(ProxyContract.address(proxyName, verb), new JsonObject()).await(VERB_MILLIS, TimeUnit.MILLISECONDS);
        wrong.add(verb + " succeeded");
      } catch (ReplyException failure) {
        JsonObject body = parse(failure.getMessage());
        if (failure.failureCode() != 400 || body == null || !body.containsKey("reason") || !body.containsKey("message")) {
          wrong.add(verb + " failed with " + failure.failureCode() + " " + failure.getMessage());
        }
      } catch (Exception failure) {
        wrong.add(verb + ": " + describe(failure));
      }
    }
    record(ERROR_SHAPE, wrong.isEmpty(), String.join("; ", wrong));
  }

  /** The proxy must notice an end it did not cause: here a SIGKILL sent to the kernel, not the kill verb. */
  private void checkExitEvent(String kernelId) {
    Promise<JsonObject> reported = Promise.promise();
    MessageConsumer<JsonObject> consumer = vertx.eventBus().consumer(ProxyContract.KERNEL_EXITED, message -> {
      if (kernelId.equals(message.body().getString("kernel_id"))) {
        reported.tryComplete(message.body());
      }
    });
    try {
      await(consumer.completion(), VERB_MILLIS);
      LaunchRequest request = requestFor.apply(kernelId);
      LaunchResult launched = await(proxy.launch(request), request.launchTimeoutMillis() + ProxyClient.LAUNCH_REPLY_MARGIN_MILLIS);
      await(proxy.signal(kernelId, 9), VERB_MILLIS);
      JsonObject event = await(reported.future(), patienceMillis);
      record(EXIT_EVENT, launched.launchId().equals(event.getString("launch_id")),
          "the event names launch " + event.getString("launch_id") + ", the launch answered " + launched.launchId());
    } catch (Exception failed) {
      record(EXIT_EVENT, false, describe(failed));
    } finally {
      consumer.unregister();
    }
  }

  private boolean heartbeatAccepts(ConnectionInfo info) {
    NetClient client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(2_000));
    try {
      long deadline = System.currentTimeMillis() + patienceMillis;
      while (System.currentTimeMillis() < deadline) {
        try {
          await(client.connect(info.hbPort(), info.ip()), 5_000).close();
          return true;
        } catch (Exception notYet) {
          // The kernel may bind its ports a moment after the launch answered.
          sleep(200);
        }
      }
      return false;
    } finally {
      client.close();
    }
  }

  private interface Outcome<T> {
    T get();
  }

  private <T> void expect(String name, Outcome<T> outcome, T expected) {
    try {
      T actual = outcome.get();
      record(name, expected.equals(actual), "expected " + expected + ", got " + actual);
    } catch (Exception failed) {
      record(name, false, describe(failed));
    }
  }

  private void record(String name, boolean passed, String detail) {
    checks.add(passed ? ContractCheck.pass(name) : ContractCheck.fail(name, detail));
  }

  private static <T> T await(Future<T> future, long millis) {
    try {
      return future.await(millis, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException late) {
      throw new IllegalStateException("no answer within " + millis + " ms");
    }
  }

  private static void awaitQuietly(Future<?> future) {
    try {
      await(future, VERB_MILLIS * 2);
    } catch (Exception ignored) {
      // Best effort: a failed check has been reported already.
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof ProxyFailure proxyFailure) {
      return proxyFailure.status() + " " + proxyFailure.reason() + ": " + proxyFailure.getMessage();
    }
    return failure.getClass().getSimpleName() + ": " + failure.getMessage();
  }

  private static JsonObject parse(String text) {
    try {
      return new JsonObject(text);
    } catch (Exception notJson) {
      return null;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
