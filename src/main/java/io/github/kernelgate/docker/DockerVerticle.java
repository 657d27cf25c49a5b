package io.github.kernelgate.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.kernel.store.KernelStore;
import io.github.kernelgate.ops.DockerMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only component that talks to Docker. Every docker-java call runs on this verticle's own
 * worker pool (never an event loop), behind a bus command with JSON bodies; failures come back
 * as HTTP-shaped errors (an unreachable or hung daemon is 503). Commands use a client with
 * connect and response timeouts; the event stream uses a separate client without them.
 */
public final class DockerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(DockerVerticle.class);
  private static final int WORKERS = 8;

  private DockerSettings settings;
  private DockerHttpClient commandHttp;
  private DockerHttpClient streamHttp;
  private DockerOperations operations;
  private DockerEventWatcher events;
  private WorkerExecutor workers;
  private GatewayConfig config;
  private final KernelOwners owners;
  private final DockerMetrics metrics;

  public DockerVerticle(KernelOwners owners, DockerMetrics metrics) {
    this.owners = owners;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    config = GatewayConfig.fromJson(config());
    settings = DockerSettings.from(config);
    URI host = URI.create(settings.dockerHost());
    // API version left unset: docker-java does not negotiate, and the engine here speaks 1.41.
    DefaultDockerClientConfig clientConfig = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host.toString()).build();
    commandHttp = new ZerodepDockerHttpClient.Builder().dockerHost(host).maxConnections(WORKERS * 2)
        .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofSeconds(60)).build();
    streamHttp = new ZerodepDockerHttpClient.Builder().dockerHost(host).connectionTimeout(Duration.ofSeconds(5)).build();
    DockerClient commands = DockerClientImpl.getInstance(clientConfig, commandHttp);
    DockerClient streaming = DockerClientImpl.getInstance(clientConfig, streamHttp);
    operations = new DockerOperations(commands, commandHttp);
    events = new DockerEventWatcher(vertx, streaming);
    workers = vertx.createSharedWorkerExecutor("kernelgate-docker", WORKERS);
    return Future.all(List.of(
            answer(Addresses.DOCKER_PING, body -> operations::ping),
            answer(Addresses.DOCKER_CREATE_CONTAINER, body -> () -> operations.createContainer(KernelContainerSpec.fromJson(body))),
            answer(Addresses.DOCKER_START_CONTAINER, body -> () -> operations.startContainer(body.getString("id"))),
            answer(Addresses.DOCKER_INSPECT_CONTAINER, body -> () -> operations.inspectContainer(body.getString("id"), body.getString("network"))),
            answer(Addresses.DOCKER_REMOVE_CONTAINER, body -> () -> operations.removeContainer(body.getString("id"), body.getBoolean("keep", false))),
            answer(Addresses.DOCKER_CREATE_SERVICE, body -> () -> operations.createService(KernelContainerSpec.fromJson(body))),
            answer(Addresses.DOCKER_REMOVE_SERVICE, body -> () -> operations.removeService(body.getString("id"))),
            answer(Addresses.DOCKER_LIST_TASKS, body -> () -> operations.listTasks(body.getString("service"), body.getString("network"))),
            answer(Addresses.DOCKER_REMOVE_KERNEL_OBJECTS,
                body -> () -> operations.removeKernelObjects(body.getString("kernel_id"), body.getString("instance")))))
        .onSuccess(ready -> {
          workers.executeBlocking(() -> {
            events.start();
            return null;
          }, false);
          reportOrphans();
        });
  }

  @Override
  public Future<?> stop() {
    events.stop();
    return workers.executeBlocking(() -> {
      closeQuietly(commandHttp);
      closeQuietly(streamHttp);
      return null;
    }, false).eventually(() -> workers.close());
  }

  private static void closeQuietly(DockerHttpClient client) {
    try {
      client.close();
    } catch (IOException ignored) {
      // Closing at shutdown.
    }
  }

  /** A bus command answered by one blocking docker-java call on this verticle's workers, timed by operation. */
  private Future<Void> answer(String address, Function<JsonObject, Callable<JsonObject>> operation) {
    String name = address.substring(address.lastIndexOf('.') + 1);
    return JsonBus.answer(vertx, address, body -> {
      long began = System.nanoTime();
      return workers.executeBlocking(operation.apply(body), false)
          .onComplete(done -> metrics.called(name, Duration.ofNanos(System.nanoTime() - began), done.failed()))
          .recover(failure -> Future.failedFuture(DockerErrors.toGateway(failure, settings.dockerHost())));
    });
  }

  /**
   * This instance's kernel containers and services that no kernel record names (an earlier run's
   * without persistence, or a record lost) are unknown to it: list them, and remove them when
   * KG_REMOVE_ORPHANS is set. Recorded ones are left to the lifecycle, which takes them over; those
   * of other instances (other gateways on this engine, EG) are never touched.
   */
  private void reportOrphans() {
    // Clustered, a kernel of this instance may have been taken over by another replica meanwhile: it is not an orphan.
    Future<Set<String>> recorded = workers.executeBlocking(() -> KernelStore.idsToTakeOver(config), false)
        .compose(ours -> owners.all().map(owned -> {
          Set<String> known = new HashSet<>(ours);
          known.addAll(owned.keySet());
          return known;
        }));
    Future<JsonObject> found = workers.executeBlocking(operations::listKernelObjects, false);
    Future.all(recorded, found).onSuccess(both -> {
      Set<String> known = recorded.result();
      found.result().getJsonArray("services").stream().map(JsonObject.class::cast)
          .filter(service -> isUnknownOfOurs(service, known)).forEach(service -> orphan(service, true));
      found.result().getJsonArray("containers").stream().map(JsonObject.class::cast)
          .filter(container -> !container.getBoolean("swarm_task", false))
          .filter(container -> isUnknownOfOurs(container, known)).forEach(container -> orphan(container, false));
    }).onFailure(unreachable -> LOG.warn("docker daemon not reachable at {}: {} (container kernels will answer 503 until it is)",
        settings.dockerHost(), DockerErrors.toGateway(unreachable, settings.dockerHost()).getMessage()));
  }

  private boolean isUnknownOfOurs(JsonObject object, Set<String> known) {
    return config.instanceId().equals(object.getString("instance")) && !known.contains(object.getString("kernel_id"));
  }

  private void orphan(JsonObject object, boolean service) {
    String kind = service ? "service" : "container";
    if (!settings.removeOrphans()) {
      LOG.atWarn().addKeyValue("name", object.getString("name")).addKeyValue("kernel_id", object.getString("kernel_id"))
          .log("unknown kernel {} found; set KG_REMOVE_ORPHANS=true to remove such leftovers at start", kind);
      return;
    }
    workers.executeBlocking(() -> service ? operations.removeService(object.getString("id"))
        : operations.removeContainer(object.getString("id"), false), false)
        .onSuccess(removed -> LOG.atInfo().addKeyValue("name", object.getString("name")).log("orphaned kernel {} removed", kind));
  }
}
