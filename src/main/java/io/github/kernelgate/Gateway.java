package io.github.kernelgate;

import io.github.kernelgate.api.ApiVerticle;
import io.github.kernelgate.bus.BusCodecs;
import io.github.kernelgate.cluster.ClusterMembership;
import io.github.kernelgate.cluster.ClusteredVertx;
import io.github.kernelgate.cluster.FailoverVerticle;
import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.cluster.Replica;
import io.github.kernelgate.cluster.ReplicaDoorVerticle;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.config.RuntimeDirectory;
import io.github.kernelgate.config.Setting;
import io.github.kernelgate.docker.DockerProxyVerticle;
import io.github.kernelgate.docker.DockerVerticle;
import io.github.kernelgate.kernel.KernelVerticle;
import io.github.kernelgate.kernel.store.GatewayInstance;
import io.github.kernelgate.launch.ResponseListenerVerticle;
import io.github.kernelgate.ops.GatewayMetrics;
import io.github.kernelgate.proxy.LauncherProxyVerticle;
import io.github.kernelgate.proxy.LocalProxyVerticle;
import io.github.kernelgate.proxy.PluginProxyVerticle;
import io.github.kernelgate.zmq.ZmqVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: first it claims its state directory (its {@link GatewayInstance}), then its
 * verticles are deployed in dependency order (ZMQ bridge, response listener, process proxies and plugins,
 * lifecycle, the replica's door and failover when clustered, HTTP API) and undeployed in the reverse order, so the API stops accepting before
 * kernels are stopped and sockets closed.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayInstance instance;
  private final List<String> deployments;
  private final int port;

  private Gateway(Vertx vertx, GatewayInstance instance, List<String> deployments, int port) {
    this.vertx = vertx;
    this.instance = instance;
    this.deployments = deployments;
    this.port = port;
  }

  /** One gateway process; its metrics are only the gateway's own unless {@code vertx} was built with {@link GatewayMetrics#instrument}. */
  public static Future<Gateway> deploy(Vertx vertx, GatewayConfig config) {
    return deploy(vertx, config, new GatewayMetrics());
  }

  public static Future<Gateway> deploy(Vertx vertx, GatewayConfig config, GatewayMetrics metrics) {
    return vertx.executeBlocking(() -> GatewayInstance.claim(RuntimeDirectory.stateOf(config), config.instanceId()), false)
        .compose(instance -> deploy(vertx, config, instance, new KernelOwners(vertx, Replica.starting(instance.id())), null, metrics));
  }

  /**
   * A replica of a clustered gateway (KG_CLUSTER), on the clustered Vert.x {@code node}; its state
   * directory was claimed first, since the instance id is part of its cluster membership.
   */
  public static Future<Gateway> deployReplica(ClusteredVertx.Started node, GatewayConfig config, GatewayInstance instance,
                                              GatewayMetrics metrics) {
    Vertx vertx = node.vertx();
    return deploy(vertx, config, instance, new KernelOwners(vertx, node.membership()), node.membership(), metrics);
  }

  private static Future<Gateway> deploy(Vertx vertx, GatewayConfig config, GatewayInstance instance, KernelOwners owners,
                                        ClusterMembership membership, GatewayMetrics metrics) {
    BusCodecs.register(vertx);
    LOG.atInfo().addKeyValue("state_dir", RuntimeDirectory.stateOf(config))
        .addKeyValue("replica", membership == null ? "single" : owners.self().ownerValue())
        .log("gateway instance {}", instance.id());
    return deployVerticles(vertx, config.with(Setting.INSTANCE_ID, instance.id()), instance, owners, membership, metrics)
        .onFailure(failed -> release(vertx, instance));
  }

  private static Future<Gateway> deployVerticles(Vertx vertx, GatewayConfig config, GatewayInstance instance, KernelOwners owners,
                                                 ClusterMembership membership, GatewayMetrics metrics) {
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    List<String> deployed = new ArrayList<>();
    // The API comes up last, but before this completes: until then it answers "not ready".
    Promise<Void> allDeployed = Promise.promise();
    ApiVerticle api = new ApiVerticle(owners, metrics, membership, allDeployed.future());
    return vertx.deployVerticle(new ZmqVerticle(metrics.messages()), options).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new ResponseListenerVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new LocalProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new LauncherProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new DockerVerticle(owners, metrics.docker()), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new DockerProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new PluginProxyVerticle(false), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new KernelVerticle(owners, metrics.kernels()), options)).onSuccess(deployed::add)
        .compose(id -> membership == null ? Future.succeededFuture(id)
            : vertx.deployVerticle(new ReplicaDoorVerticle(), options).onSuccess(deployed::add)
                .compose(door -> vertx.deployVerticle(new FailoverVerticle(owners, membership), options)).onSuccess(deployed::add))
        .compose(id -> vertx.deployVerticle(api, options)).onSuccess(deployed::add)
        .onSuccess(id -> allDeployed.complete())
        .map(id -> new Gateway(vertx, instance, deployed, api.actualPort()))
        .recover(failure -> undeploy(vertx, deployed).transform(done -> Future.failedFuture(failure)));
  }

  public int port() {
    return port;
  }

  /** Stops the API first, then the kernels, then the proxies and the bridge; then releases the state directory. */
  public Future<Void> stop() {
    return undeploy(vertx, deployments).compose(done -> release(vertx, instance));
  }

  private static Future<Void> release(Vertx vertx, GatewayInstance instance) {
    return vertx.executeBlocking(() -> {
      instance.close();
      return null;
    }, false);
  }

  private static Future<Void> undeploy(Vertx vertx, List<String> deployments) {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    Future<Void> chain = Future.succeededFuture();
    for (String id : reversed) {
      chain = chain.transform(previous -> vertx.undeploy(id));
    }
    return chain.transform(done -> Future.succeededFuture());
  }
}
