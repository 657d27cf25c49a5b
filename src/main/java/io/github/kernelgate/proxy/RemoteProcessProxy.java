package io.github.kernelgate.proxy;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.launch.CommPortClient;
import io.github.kernelgate.launch.LaunchBus;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.KernelExits;
import io.github.kernelgate.plugin.LaunchRequest;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kernel whose launcher calls the gateway back (EG's handshake): the launcher gets
 * RESPONSE_ADDRESS, PUBLIC_KEY and PORT_RANGE, the runtime starts it, and the launch completes
 * when both the encrypted connection info and the runtime's address have arrived; the kernel is
 * then reached at that address (the payload's own {@code ip} is 0.0.0.0). Interrupts and
 * shutdown go to the launcher's comm port. Whatever fails, nothing is left running.
 */
public final class RemoteProcessProxy implements ProcessProxy {

  private static final Logger LOG = LoggerFactory.getLogger(RemoteProcessProxy.class);

  /** A launched kernel: the launch it belongs to and where its comm port is. */
  private record RemoteKernel(String launchId, String host, int commPort) {
  }

  private final Vertx vertx;
  private final KernelRuntime runtime;
  private final RemoteLaunchSettings settings;
  private final LaunchBus listener;
  private final CommPortClient comm;
  private final Map<String, RemoteKernel> kernels = new ConcurrentHashMap<>();
  /** Launches not yet connected: an exit of their launcher fails them at once instead of at the timeout. */
  private final Map<String, Promise<LaunchResult>> launching = new ConcurrentHashMap<>();

  public RemoteProcessProxy(Vertx vertx, KernelRuntime runtime, RemoteLaunchSettings settings) {
    this.vertx = vertx;
    this.runtime = runtime;
    this.settings = settings;
    this.listener = new LaunchBus(vertx);
    this.comm = new CommPortClient(vertx, settings.commTimeoutMillis());
    runtime.setExitListener(this::exited);
  }

  // May run on any thread (runtimes report from their own).
  private void exited(String kernelId, int exitCode, String detail) {
    Promise<LaunchResult> pending = launching.get(kernelId);
    if (pending != null) {
      String text = "Kernel launcher exited with code " + exitCode + " before connecting"
          + (detail == null || detail.isBlank() ? "" : ": " + detail);
      pending.tryFail(GatewayException.internal(text));
      return;
    }
    RemoteKernel kernel = kernels.get(kernelId);
    if (kernel != null) {
      KernelExits.publish(vertx, kernelId, kernel.launchId(), exitCode, detail);
    }
  }

  @Override
  public Future<LaunchResult> launch(LaunchRequest request) {
    String kernelId = request.kernelId();
    String portRange = settings.validatedPortRange(request.spec().getJsonObject("metadata", new JsonObject())
        .getJsonObject("process_proxy", new JsonObject()).getJsonObject("config", new JsonObject()).getString("port_range"));
    String launchId = request.launchId();
    Promise<LaunchResult> result = Promise.promise();
    launching.put(kernelId, result);
    String secret = LaunchSecrets.next();
    // Settles when the runtime's start does, whichever way: what it created is removed only after that.
    Promise<JsonObject> started = Promise.promise();
    Future<LaunchBus.ListenerInfo> described = listener.describe().onFailure(started::tryFail);
    described.compose(gateway -> {
      boolean acceptsUnsigned = runtime.mayRunLaunchersWithoutSecret();
      Future<JsonObject> payload = listener.expect(kernelId, request.launchTimeoutMillis(), secret, acceptsUnsigned);
      runtime.start(request, launcherEnvironment(request, gateway, portRange, secret)).onComplete(started);
      Future<String> address = started.future()
          .compose(details -> runtime.awaitAddress(kernelId, request.launchTimeoutMillis()))
          // Only a payload without a secret is judged by its origin; the listener needs the address for that alone.
          .compose(host -> acceptsUnsigned ? listener.kernelAddress(kernelId, host).map(host) : Future.succeededFuture(host));
      return Future.all(payload, address).map(both -> connected(request, launchId, payload.result(), address.result(), started.future().result()));
    }).onComplete(result::tryComplete, result::tryFail);
    return result.future().eventually(() -> {
      launching.remove(kernelId, result);
      return Future.succeededFuture();
    }).recover(failure -> {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).log("remote launch failed: {}", failure.getMessage());
      // A launch cancelled while Docker was still creating the container removes it once it exists.
      return started.future().transform(settled -> listener.cancel(kernelId)).transform(cancelled -> runtime.remove(kernelId))
          .transform(removed -> Future.failedFuture(BusErrors.toException(failure)));
    });
  }

  private Map<String, String> launcherEnvironment(LaunchRequest request, LaunchBus.ListenerInfo gateway, String portRange,
                                                  String secret) {
    Map<String, String> env = new HashMap<>(request.env());
    env.put(LaunchSecrets.ENV, secret);
    env.put("KERNEL_ID", request.kernelId());
    env.put("RESPONSE_ADDRESS", gateway.responseAddress());
    env.put("PUBLIC_KEY", gateway.publicKey());
    env.put("PORT_RANGE", portRange);
    env.put("EG_MIN_PORT_RANGE_SIZE", String.valueOf(settings.minPortRangeSize()));
    env.put("EG_MAX_PORT_RANGE_RETRIES", String.valueOf(settings.maxPortRangeRetries()));
    env.putIfAbsent("KERNEL_SPARK_CONTEXT_INIT_MODE", "none");
    return env;
  }

  private LaunchResult connected(LaunchRequest request, String launchId, JsonObject payload, String host, JsonObject started) {
    ConnectionInfo info;
    try {
      info = ConnectionInfo.fromJson(payload.copy().put("ip", host));
    } catch (RuntimeException invalid) {
      throw GatewayException.internal("Kernel " + request.kernelId() + " sent unusable connection info: " + invalid.getMessage());
    }
    int commPort = payload.getValue("comm_port") instanceof Number number ? number.intValue() : 0;
    kernels.put(request.kernelId(), new RemoteKernel(launchId, host, commPort));
    LOG.atInfo().addKeyValue("kernel_id", request.kernelId()).addKeyValue("address", host).addKeyValue("comm_port", commPort)
        .log("remote kernel connected");
    return new LaunchResult(launchId, info, new JsonObject().put("address", host).put("comm_port", commPort).put("runtime", started));
  }

  @Override
  public Future<Boolean> adopt(String kernelId, String launchId, JsonObject processInfo) {
    return runtime.adopt(kernelId, processInfo.getJsonObject("runtime", new JsonObject())).map(alive -> {
      if (alive) {
        kernels.put(kernelId, new RemoteKernel(launchId, processInfo.getString("address"), processInfo.getInteger("comm_port", 0)));
        LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("address", processInfo.getString("address"))
            .log("remote kernel taken over");
      }
      return alive;
    });
  }

  @Override
  public Future<Boolean> isAlive(String kernelId) {
    return runtime.isRunning(kernelId);
  }

  /** Signals go through the launcher's comm port; a kernel without one cannot be signalled. */
  @Override
  public Future<Void> signal(String kernelId, int signum) {
    RemoteKernel kernel = kernels.get(kernelId);
    if (kernel == null || kernel.commPort() <= 0) {
      return Future.failedFuture(GatewayException.notFound("Kernel " + kernelId + " has no comm port"));
    }
    return comm.signal(kernel.host(), kernel.commPort(), signum);
  }

  /** Called as the kernel is asked to shut down: releases the comm port (EG's order), then waits. */
  @Override
  public Future<Boolean> waitForExit(String kernelId, long timeoutMillis) {
    RemoteKernel kernel = kernels.get(kernelId);
    Future<Void> released = kernel == null || kernel.commPort() <= 0 ? Future.succeededFuture()
        : comm.shutdown(kernel.host(), kernel.commPort()).recover(refused -> {
          // After a shutdown_request ipykernel may already be gone with its launcher: that is fine.
          LOG.atDebug().addKeyValue("kernel_id", kernelId).log("comm shutdown not delivered: {}", refused.getMessage());
          return Future.succeededFuture();
        });
    return released.compose(done -> runtime.waitForExit(kernelId, timeoutMillis));
  }

  /** Also cuts short a launch in progress: it then removes what its runtime created, as soon as that exists. */
  @Override
  public Future<Void> kill(String kernelId) {
    Promise<LaunchResult> pending = launching.get(kernelId);
    if (pending != null) {
      pending.tryFail(new GatewayException(410, "The launch of kernel " + kernelId + " was cancelled"));
    }
    return runtime.remove(kernelId);
  }

  @Override
  public Future<Void> cleanup(String kernelId) {
    kernels.remove(kernelId);
    return runtime.remove(kernelId);
  }
}
