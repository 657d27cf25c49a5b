package io.github.kernelgate.kernel;

import static io.github.kernelgate.kernel.KernelLogFields.about;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.bus.KernelCommands;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.kernel.store.KernelRecord;
import io.github.kernelgate.kernel.store.KernelStore;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.ops.KernelMetrics;
import io.github.kernelgate.protocol.Channel;
import io.github.kernelgate.proxy.ProxyNames;
import io.github.kernelgate.zmq.ZmqBus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel lifecycle: owns the registry and every kernel's state, and answers the kernel
 * commands of the bus. Launching goes through a process proxy ({@link KernelLauncher}); kernel
 * traffic goes through the ZMQ bridge; neither blocks this event loop.
 */
public final class KernelVerticle extends VerticleBase implements KernelOperations {

  private static final Logger LOG = LoggerFactory.getLogger(KernelVerticle.class);
  /** A kernel that ran this long since its last start is stable: its automatic restarts count from zero again. */
  private static final long STABLE_MILLIS = 10_000;
  private static final Pattern CANONICAL_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final KernelOwners owners;
  private final KernelMetrics metrics;
  private KernelRegistry registry;
  private GatewayConfig config;
  private KernelSpecStore specs;
  private StartPolicy policy;
  private KernelLauncher launcher;
  private ZmqBus zmq;
  private SessionService sessions;
  private LaunchAdmission admission;
  private final StartRequests startRequests = new StartRequests();
  private LivenessCheck liveness;
  private KernelRecords records;
  private KernelTakeover takeover;

  public KernelVerticle(KernelOwners owners, KernelMetrics metrics) {
    this.owners = owners;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    config = GatewayConfig.fromJson(config());
    registry = new KernelRegistry(owners);
    specs = new KernelSpecStore(KernelSpecStore.searchPath(config.kernelspecDirs(), config.jupyterPath(), System.getProperty("user.home")));
    policy = new StartPolicy(config);
    zmq = new ZmqBus(vertx);
    launcher = new KernelLauncher(vertx, zmq, config.shutdownWaitSeconds() * 1000L, metrics);
    admission = new LaunchAdmission(vertx, LaunchAdmission.limitFor(config.maxConcurrentLaunches()),
        config.launchQueueTimeoutSeconds() * 1000L, config.launchQueueMaxWaitSeconds() * 1000L);
    liveness = new LivenessCheck(vertx, launcher::proxyOf, this::died);
    IdleCuller culler = new IdleCuller(config);
    if (culler.enabled()) {
      vertx.setPeriodic(culler.intervalMillis(), tick -> culler.selectForCulling(registry.all(), Instant.now()).forEach(kernel -> {
        about(LOG.atInfo(), kernel).addKeyValue("execution_state", kernel.modelExecutionState())
            .addKeyValue("connections", kernel.connections).log("culling kernel");
        metrics.culled();
        shutdown(kernel.id);
      }));
    }
    sessions = new SessionService(this, config, this::sessionsChanged);
    records = new KernelRecords(vertx, KernelStore.of(config), config.persistKernels(), owners, sessions::recordsOf);
    takeover = new KernelTakeover(vertx, specs, launcher, zmq, records, owners);
    var bus = vertx.eventBus();
    // Kernels an earlier gateway left running come first: the API is deployed after this verticle, so clients see them all.
    Future<Void> takenOver = takeover.run()
        .map(kernels -> {
          kernels.forEach(taken -> {
            registry.add(taken.kernel());
            sessions.restore(taken.kernel().id, taken.sessions());
          });
          return null;
        });
    return takenOver.compose(done -> Future.all(java.util.List.of(
        answer(Addresses.KERNEL_START, this::start),
        answer(Addresses.KERNEL_LIST, body -> Future.succeededFuture(list())),
        answer(Addresses.KERNEL_COUNT, body -> Future.succeededFuture(counts())),
        answer(Addresses.KERNEL_GET, body -> Future.succeededFuture(find(body.getString("kernel_id")).toModel())),
        answer(Addresses.KERNEL_SHUTDOWN, body -> shutdown(body.getString("kernel_id")).map(new JsonObject())),
        answer(Addresses.KERNEL_INTERRUPT, body -> interrupt(body.getString("kernel_id")).map(new JsonObject())),
        answer(Addresses.KERNEL_RESTART, body -> restart(body.getString("kernel_id"))),
        answer(Addresses.KERNEL_TAKE_OVER, this::takeOverFromCluster),
        answer(Addresses.KERNEL_RECONCILE_OWNERS, this::reconcileOwners),
        answer(Addresses.SESSION_CREATE, sessions::create),
        answer(Addresses.SESSION_LIST, sessions::list),
        answer(Addresses.SESSION_GET, sessions::get),
        answer(Addresses.SESSION_UPDATE, sessions::update),
        answer(Addresses.SESSION_DELETE, sessions::delete),
        bus.<JsonObject>localConsumer(Addresses.KERNEL_START_ABANDONED, event -> startAbandoned(event.body())).completion(),
        bus.<JsonObject>localConsumer(Addresses.KERNEL_CLIENT_ATTACHED, event -> countClient(event.body(), +1)).completion(),
        bus.<JsonObject>localConsumer(Addresses.KERNEL_CLIENT_DETACHED, event -> countClient(event.body(), -1)).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_ACTIVITY, event -> activity(event.body())).completion(),
        bus.<JsonObject>localConsumer(Addresses.ZMQ_HEARTBEAT_LOST, event -> heartbeatLost(event.body())).completion(),
        bus.<JsonObject>consumer(Addresses.PROXY_KERNEL_EXITED, event -> exited(event.body())).completion(),
        bus.<JsonObject>localConsumer(Addresses.DOCKER_EVENTS_RESUMED, event -> reconcile()).completion())));
  }

  /**
   * A graceful stop leaves the kernels that are recorded running, for the next gateway to take
   * over (KG_PERSIST_KERNELS); the others are stopped.
   */
  @Override
  public Future<?> stop() {
    List<ManagedKernel> stopping = registry.all().stream().filter(kernel -> !records.enabled() || !kernel.is(KernelState.RUNNING)).toList();
    stopping.forEach(kernel -> {
      kernel.moveTo(KernelState.TERMINATING);
      records.forget(kernel.id);
    });
    int kept = registry.all().size() - stopping.size();
    if (kept > 0) {
      LOG.info("gateway stopping: {} kernels keep running for the next start", kept);
    }
    return Future.join(stopping.stream().map(kernel -> launcher.stop(kernel, false)).toList());
  }

  private Future<Void> answer(String address, Function<JsonObject, Future<JsonObject>> handler) {
    return JsonBus.answer(vertx, address, handler);
  }

  private ManagedKernel find(String kernelId) {
    return registry.find(kernelId).orElseThrow(() -> owners.isBeingTakenOver(kernelId) ? KernelOwners.beingTakenOver(kernelId)
        : GatewayException.notFound("Kernel does not exist: " + kernelId));
  }

  @Override
  public JsonObject modelOf(String kernelId) {
    return find(kernelId).toModel();
  }

  @Override
  public boolean exists(String kernelId) {
    return registry.contains(kernelId);
  }

  private JsonObject list() {
    if (!config.listKernels()) {
      throw GatewayException.forbidden("Forbidden");
    }
    return new JsonObject().put("kernels", new JsonArray(registry.all().stream().map(ManagedKernel::toModel).toList()));
  }

  /** This gateway's kernels by state and spec, for the metrics (whatever EG_LIST_KERNELS says). */
  private JsonObject counts() {
    Map<KernelMetrics.StateAndSpec, Long> counts = registry.all().stream().collect(Collectors.groupingBy(
        kernel -> new KernelMetrics.StateAndSpec(kernel.state().name().toLowerCase(Locale.ROOT), kernel.spec.name()), Collectors.counting()));
    return new JsonObject().put("counts", new JsonArray(counts.entrySet().stream().map(entry -> new JsonObject()
        .put("state", entry.getKey().state()).put("spec", entry.getKey().spec()).put("count", entry.getValue())).toList()));
  }

  /**
   * Body: {@code {name?, env?, path?, start_request?}}. Reply: the kernel model of the started
   * kernel. A start that names its HTTP request ends early if that request's client hangs up.
   */
  @Override
  public Future<JsonObject> start(JsonObject body) {
    if (!(body.getValue(KernelCommands.START_REQUEST) instanceof String request)) {
      return startKernel(body, null);
    }
    startRequests.begin(request);
    Future<JsonObject> started;
    try {
      started = startKernel(body, request);
    } catch (RuntimeException refused) {
      startRequests.end(request);
      throw refused;
    }
    return started.onComplete(done -> startRequests.end(request));
  }

  /** The client of a start hung up before its answer: nobody will ever use that kernel. */
  private void startAbandoned(JsonObject body) {
    startRequests.abandon(body.getString(KernelCommands.START_REQUEST)).filter(registry::contains).ifPresent(kernelId -> {
      LOG.atInfo().addKeyValue("kernel_id", kernelId).log("the client of a start closed its connection before the answer: deleting the kernel");
      try {
        shutdown(kernelId);
      } catch (GatewayException alreadyEnding) {
        // Deleted meanwhile: nothing left to do.
      }
    });
  }

  private Future<JsonObject> startKernel(JsonObject body, String request) {
    Map<String, String> client = ClientEnvironment.filter(body.getValue("env"), config.clientEnvs());
    String username = client.getOrDefault("KERNEL_USERNAME", System.getProperty("user.name"));
    policy.checkCapacity(registry.activeCount(), registry.activeCountOf(username), username);
    Object nameValue = body.getValue("name");
    if (nameValue != null && !(nameValue instanceof String)) {
      throw GatewayException.badRequest("'name' must be a string");
    }
    String name = nameValue == null || ((String) nameValue).isBlank() ? config.defaultKernelName() : (String) nameValue;
    String kernelId = kernelIdFrom(client);
    long launchTimeout = KernelEnvironment.launchTimeoutMillis(client, config.kernelLaunchTimeoutSeconds());
    Object pathValue = body.getValue("path");
    String path = pathValue instanceof String text ? text : null;
    return vertx.executeBlocking(() -> specs.find(name), false).compose(found -> {
      KernelSpec spec = found.orElseThrow(() -> GatewayException.notFound("Kernel spec " + name + " not found"));
      policy.checkAllowed(spec);
      policy.checkUser(username, spec);
      // Checked again: other starts may have been registered while the spec was read.
      policy.checkCapacity(registry.activeCount(), registry.activeCountOf(username), username);
      if (registry.contains(kernelId)) {
        throw new GatewayException(409, "Kernel id " + kernelId + " is already in use");
      }
      if (request != null && !startRequests.register(request, kernelId)) {
        throw new GatewayException(410, "The client closed its connection before kernel " + kernelId + " was registered");
      }
      String proxyName = proxyName(spec);
      ManagedKernel kernel = new ManagedKernel(kernelId, spec, proxyName, username,
          KernelEnvironment.build(config.inheritedEnvironment(), client, spec, kernelId, username), path, launchTimeout);
      registry.add(kernel);
      about(LOG.atInfo(), kernel).addKeyValue("name", spec.name()).log("starting kernel");
      Future<Void> launched = admittedLaunch(kernel);
      kernel.launching = launched;
      return launched
          .compose(ready -> {
            if (!kernel.moveTo(KernelState.RUNNING)) {
              // Deleted while it started: the delete stops what was launched; the start answers for it.
              return Future.failedFuture(deletedWhileStarting(kernelId));
            }
            about(LOG.atInfo(), kernel).log("kernel started");
            return records.save(kernel).map(saved -> kernel.toModel());
          })
          // Whatever a launch cut short by a delete fails with (a Docker 409, an early exit), the start was deleted.
          .recover(failure -> Future.failedFuture(kernel.is(KernelState.TERMINATING) ? deletedWhileStarting(kernelId) : failure))
          .onFailure(failure -> {
            if (!kernel.is(KernelState.TERMINATING)) {
              registry.remove(kernelId);
            }
            about(LOG.atWarn(), kernel).log("kernel start failed: {}", failure.getMessage());
          });
    });
  }

  /** The launch once admitted (its timeout counts from there); the slot is released however it ends. */
  private Future<Void> admittedLaunch(ManagedKernel kernel) {
    return admission.admit(kernel.id).compose(admitted -> launcher.launch(kernel).onComplete(done -> admission.release()));
  }

  private static String proxyName(KernelSpec spec) {
    try {
      return ProxyNames.forSpec(spec.json());
    } catch (IllegalArgumentException bad) {
      throw GatewayException.internal("Kernel spec " + spec.name() + ": " + bad.getMessage());
    }
  }

  private String kernelIdFrom(Map<String, String> client) {
    String requested = client.get("KERNEL_ID");
    if (requested == null) {
      return UUID.randomUUID().toString();
    }
    if (!CANONICAL_UUID.matcher(requested).matches()) {
      throw GatewayException.badRequest("KERNEL_ID must be a lower-case canonical UUID");
    }
    return requested;
  }

  @Override
  public Future<Void> shutdown(String kernelId) {
    ManagedKernel kernel = find(kernelId);
    boolean starting = kernel.is(KernelState.STARTING) || kernel.is(KernelState.RESTARTING);
    if (!kernel.moveTo(KernelState.TERMINATING)) {
      throw GatewayException.notFound("Kernel does not exist: " + kernelId);
    }
    about(LOG.atInfo(), kernel).log("shutting down kernel");
    // A start still waiting for its turn ends here: it never launches anything.
    admission.cancel(kernelId);
    if (starting && kernel.startup != null) {
      // A launch in progress is cut short: its own cleanup kills what it created, and the stop below finds the rest.
      kernel.startup.tryFail(deletedWhileStarting(kernelId));
      launcher.proxyOf(kernel).kill(kernelId);
    }
    Future<?> inFlight = kernel.restartInProgress != null ? kernel.restartInProgress
        : kernel.launching != null ? kernel.launching : Future.succeededFuture();
    return inFlight.transform(done -> launcher.stop(kernel, false))
        .compose(stopped -> launcher.disconnect(kernel))
        .onComplete(done -> {
          registry.remove(kernelId);
          records.forget(kernelId);
          sessions.kernelGone(kernelId);
          publishState(kernelId, "shutdown");
          about(LOG.atInfo(), kernel).log("kernel shut down");
        });
  }

  private Future<Void> interrupt(String kernelId) {
    ManagedKernel kernel = find(kernelId);
    Future<?> sent = "message".equals(kernel.spec.interruptMode())
        ? zmq.request(kernelId, Channel.CONTROL, "interrupt_request", new JsonObject(), 5_000)
        : launcher.proxyOf(kernel).signal(kernelId, 2);
    // Always 204 for a known kernel: a failed delivery is only logged (EG behaviour).
    return sent.<Void>mapEmpty().recover(failure -> {
      about(LOG.atWarn(), kernel).log("interrupt not delivered: {}", failure.getMessage());
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> restart(String kernelId) {
    ManagedKernel kernel = find(kernelId);
    if (kernel.restartInProgress != null) {
      return kernel.restartInProgress;
    }
    if (!kernel.state().canBecome(KernelState.RESTARTING)) {
      throw new GatewayException(409, "Kernel " + kernelId + " is " + kernel.state().name().toLowerCase() + " and cannot be restarted now");
    }
    // As in Jupyter Server, a requested restart sends clients no "restarting": JupyterLab reads that as a crash.
    about(LOG.atInfo(), kernel).log("restarting kernel");
    kernel.autoRestartsInARow = 0;
    metrics.restarted(false);
    publishState(kernelId, "restart-requested");
    return relaunch(kernel, null).recover(failure -> {
      markDead(kernel, "Restart failed: " + failure.getMessage());
      return Future.failedFuture(new GatewayException(500, "Internal Server Error", "Exception restarting kernel: " + failure.getMessage()));
    });
  }

  /**
   * Stops the kernel's process and launches it again under the same id; clients keep their
   * WebSockets. {@code doneState}, if any, is published once it is ready: "starting" (a status
   * clients see) after an automatic restart.
   */
  private Future<JsonObject> relaunch(ManagedKernel kernel, String doneState) {
    kernel.moveTo(KernelState.RESTARTING);
    Future<JsonObject> restart = launcher.stop(kernel, true)
        // A delete that came during the stop wins: nothing is launched again.
        .compose(stopped -> kernel.is(KernelState.RESTARTING) ? admittedLaunch(kernel) : Future.failedFuture(deletedWhileStarting(kernel.id)))
        .map(ready -> {
          if (kernel.moveTo(KernelState.RUNNING)) {
            kernel.reason = "";
            kernel.executionState = "idle";
            records.save(kernel);
            if (doneState != null) {
              publishState(kernel.id, doneState);
            }
            about(LOG.atInfo(), kernel).log("kernel restarted");
          }
          return kernel.toModel();
        });
    kernel.restartInProgress = restart;
    restart.onComplete(done -> {
      if (kernel.restartInProgress == restart) {
        kernel.restartInProgress = null;
      }
    });
    return restart;
  }

  /**
   * The kernel's process ended without being asked to. As Jupyter Server does, it is restarted
   * (clients get "restarting", then the new kernel's status) unless that is off or it already
   * failed {@code auto_restart_limit} times in a row; then it is dead. A kernel that ran for
   * {@link #STABLE_MILLIS} since its last start starts a new count.
   */
  private void died(ManagedKernel kernel, String why) {
    if (kernel.is(KernelState.RUNNING)) {
      metrics.died();
      restartOrGiveUp(kernel, why);
    }
  }

  private void restartOrGiveUp(ManagedKernel kernel, String why) {
    if (!config.autoRestart()) {
      markDead(kernel, why);
      return;
    }
    if (System.currentTimeMillis() - kernel.readySince >= STABLE_MILLIS) {
      kernel.autoRestartsInARow = 0;
    }
    if (kernel.autoRestartsInARow >= config.autoRestartLimit()) {
      markDead(kernel, why + " (not restarted: " + kernel.autoRestartsInARow + " automatic restarts in a row already)");
      return;
    }
    kernel.autoRestartsInARow++;
    about(LOG.atWarn(), kernel).addKeyValue("attempt", kernel.autoRestartsInARow)
        .addKeyValue("limit", config.autoRestartLimit()).log("kernel died, restarting it: {}", why);
    kernel.reason = why;
    metrics.restarted(true);
    publishState(kernel.id, "restarting");
    relaunch(kernel, "starting").onFailure(failure -> {
      // A delete may have come meanwhile: then the kernel is terminating, and stays so.
      if (kernel.is(KernelState.RESTARTING)) {
        restartOrGiveUp(kernel, "Automatic restart failed: " + failure.getMessage());
      }
    });
  }

  private void countClient(JsonObject event, int delta) {
    registry.find(event.getString("kernel_id")).ifPresent(kernel -> kernel.connections = Math.max(0, kernel.connections + delta));
  }

  private void activity(JsonObject event) {
    registry.find(event.getString("kernel_id")).ifPresent(kernel -> {
      kernel.lastActivity = Instant.now();
      String state = event.getString("execution_state");
      if (state != null && kernel.is(KernelState.RUNNING)) {
        kernel.executionState = state;
      }
    });
  }

  private void heartbeatLost(JsonObject event) {
    registry.find(event.getString("kernel_id"))
        .ifPresent(kernel -> liveness.check(kernel, "Kernel stopped answering heartbeats and its process is gone"));
  }

  /** Docker events were missed while the stream was down: a kernel may have died unseen meanwhile. */
  private void reconcile() {
    registry.all().stream().filter(kernel -> kernel.is(KernelState.RUNNING))
        .forEach(kernel -> liveness.check(kernel, "Kernel's process ended while its events could not be followed"));
  }

  private void exited(JsonObject event) {
    ManagedKernel kernel = registry.find(event.getString("kernel_id")).orElse(null);
    if (kernel == null || kernel.launchId == null || !kernel.launchId.equals(event.getString("launch_id"))) {
      return;
    }
    int exitCode = event.getInteger("exit_code", -1);
    // A process taken over from an earlier gateway is not our child: its code is not known.
    String why = exitCode < 0 ? "Kernel process exited" : "Kernel process exited with code " + exitCode;
    String detail = event.getString("detail", "");
    if ((kernel.is(KernelState.STARTING) || kernel.is(KernelState.RESTARTING)) && kernel.startup != null) {
      kernel.startup.tryFail(GatewayException.internal(why + " during start" + (detail.isEmpty() ? "" : ": " + detail)));
    } else if (kernel.is(KernelState.RUNNING)) {
      died(kernel, why);
    }
  }

  /** Clustered: a kernel whose replica left, and whose ownership this replica won. Answers {@code {taken_over}}. */
  private Future<JsonObject> takeOverFromCluster(JsonObject body) {
    KernelRecord record = KernelRecord.fromJson(body.getJsonObject("record"));
    return takeover.takeOver(record).map(taken -> {
      taken.ifPresent(kernel -> {
        registry.add(kernel);
        sessions.restore(kernel.id, record.sessions());
        records.save(kernel);
        publishState(kernel.id, "taken-over");
      });
      return new JsonObject().put("taken_over", taken.isPresent());
    });
  }

  /**
   * Clustered, once this replica's side of a partition has merged back: the cluster's owner map
   * decides. A kernel held here that another replica took over meanwhile is let go of (it keeps
   * running; its clients here are closed with 1012 and reconnect through the owner); one that
   * nobody owns any more is claimed again. Answers {@code {let_go, claimed}}, their numbers.
   */
  private Future<JsonObject> reconcileOwners(JsonObject body) {
    JsonObject cluster = body.getJsonObject("owners", new JsonObject());
    int letGo = 0;
    int claimed = 0;
    for (ManagedKernel kernel : registry.all()) {
      String owner = cluster.getString(kernel.id);
      if (owner == null) {
        registry.claimAgain(kernel.id);
        claimed++;
      } else if (!owner.equals(owners.self().ownerValue())) {
        letGo(kernel, owner);
        letGo++;
      }
    }
    return Future.succeededFuture(new JsonObject().put("let_go", letGo).put("claimed", claimed));
  }

  /** Stops serving a kernel another replica owns, without touching the kernel itself. */
  private void letGo(ManagedKernel kernel, String owner) {
    about(LOG.atWarn(), kernel).addKeyValue("replica", owner)
        .log("kernel is served by another replica since this one rejoined the cluster: this replica lets go of it");
    registry.forget(kernel.id);
    records.forgetHere(kernel.id);
    sessions.kernelGone(kernel.id);
    if (kernel.startup != null) {
      kernel.startup.tryFail(GatewayException.unavailable("Kernel " + kernel.id + " is served by another replica now"));
    }
    launcher.disconnect(kernel);
    publishState(kernel.id, "moved");
  }

  /** A running kernel's record keeps its sessions: written again when they change. */
  private void sessionsChanged(String kernelId) {
    registry.find(kernelId).filter(kernel -> kernel.is(KernelState.RUNNING)).ifPresent(records::save);
  }

  private void markDead(ManagedKernel kernel, String why) {
    if (!kernel.moveTo(KernelState.DEAD)) {
      // Being deleted: the delete finishes the job.
      return;
    }
    about(LOG.atWarn(), kernel).log("kernel dead: {}", why);
    records.forget(kernel.id);
    kernel.executionState = "dead";
    kernel.reason = why;
    publishState(kernel.id, "dead");
    launcher.disconnect(kernel);
    launcher.proxyOf(kernel).cleanup(kernel.id);
  }

  private static GatewayException deletedWhileStarting(String kernelId) {
    return new GatewayException(410, "Kernel " + kernelId + " was deleted while it was starting");
  }

  private void publishState(String kernelId, String state) {
    vertx.eventBus().publish(Addresses.KERNEL_STATE_CHANGED, new JsonObject().put("kernel_id", kernelId).put("state", state));
  }
}
