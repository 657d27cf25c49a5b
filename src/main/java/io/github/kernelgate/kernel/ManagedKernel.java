package io.github.kernelgate.kernel;

import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.plugin.LaunchResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * One kernel as the lifecycle verticle knows it. Mutable, and touched only on that verticle's
 * event loop.
 */
final class ManagedKernel {

  private static final DateTimeFormatter JUPYTER_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  final String id;
  final KernelSpec spec;
  final String proxyName;
  final String username;
  /** The environment and arguments of the original start, reused by every restart. */
  final Map<String, String> env;
  final String path;
  final long launchTimeoutMillis;

  private KernelState state = KernelState.STARTING;
  String executionState = "starting";
  Instant lastActivity = Instant.now();
  int connections;
  String reason = "";
  /** The current launch's id, named before it begins; exit reports carry it. */
  String launchId;
  /** What the current launch answered: where the kernel is and the proxy's details, as its record keeps them. */
  LaunchResult launched;
  /** Completes when the current launch answered kernel_info; failed by an early exit. */
  Promise<Void> startup;
  /** When the kernel last became RUNNING: a kernel that dies soon after a restart counts as failing in a row. */
  long readySince;
  /** Automatic restarts since the kernel last ran stably. */
  int autoRestartsInARow;
  /** The first launch, while the start is in progress, so that a delete can wait for what it created. */
  Future<Void> launching;
  /** The restart in progress, so that a second restart request waits for it. */
  Future<JsonObject> restartInProgress;

  ManagedKernel(String id, KernelSpec spec, String proxyName, String username, Map<String, String> env,
                String path, long launchTimeoutMillis) {
    this.id = id;
    this.spec = spec;
    this.proxyName = proxyName;
    this.username = username;
    this.env = Map.copyOf(env);
    this.path = path;
    this.launchTimeoutMillis = launchTimeoutMillis;
  }

  KernelState state() {
    return state;
  }

  boolean is(KernelState expected) {
    return state == expected;
  }

  /** Moves to {@code next}, or answers false and stays if the table of {@link KernelState} forbids that move. */
  boolean moveTo(KernelState next) {
    if (!state.canBecome(next)) {
      return false;
    }
    state = next;
    if (next == KernelState.RUNNING) {
      readySince = System.currentTimeMillis();
    }
    return true;
  }

  boolean holdsResources() {
    return state != KernelState.DEAD && state != KernelState.TERMINATING;
  }

  String modelExecutionState() {
    return switch (state) {
      case STARTING -> "starting";
      case RESTARTING -> "restarting";
      case DEAD -> "dead";
      case RUNNING, TERMINATING -> executionState;
    };
  }

  /** The Jupyter kernel model. */
  JsonObject toModel() {
    JsonObject model = new JsonObject().put("id", id).put("name", spec.name())
        .put("last_activity", JUPYTER_TIME.format(lastActivity))
        .put("execution_state", modelExecutionState()).put("connections", connections);
    if (!reason.isEmpty()) {
      model.put("reason", reason);
    }
    return model;
  }
}
