package io.github.kernelgate;

import io.github.kernelgate.api.ApiVerticle;
import io.github.kernelgate.bus.BusCodecs;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.docker.DockerProxyVerticle;
import io.github.kernelgate.docker.DockerVerticle;
import io.github.kernelgate.kernel.KernelVerticle;
import io.github.kernelgate.launch.ResponseListenerVerticle;
import io.github.kernelgate.proxy.LauncherProxyVerticle;
import io.github.kernelgate.proxy.LocalProxyVerticle;
import io.github.kernelgate.zmq.ZmqVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A running gateway: its verticles deployed in dependency order (ZMQ bridge, response
 * listener, process proxies, lifecycle, HTTP API) and undeployed in the reverse order, so the API stops accepting before
 * kernels are stopped and sockets closed.
 */
public final class Gateway {

  private final Vertx vertx;
  private final List<String> deployments;
  private final int port;

  private Gateway(Vertx vertx, List<String> deployments, int port) {
    this.vertx = vertx;
    this.deployments = deployments;
    this.port = port;
  }

  public static Future<Gateway> deploy(Vertx vertx, GatewayConfig config) {
    BusCodecs.register(vertx);
    DeploymentOptions options = new DeploymentOptions().setConfig(config.toJson());
    List<String> deployed = new ArrayList<>();
    ApiVerticle api = new ApiVerticle();
    return vertx.deployVerticle(new ZmqVerticle(), options).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new ResponseListenerVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new LocalProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new LauncherProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new DockerVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new DockerProxyVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(new KernelVerticle(), options)).onSuccess(deployed::add)
        .compose(id -> vertx.deployVerticle(api, options)).onSuccess(deployed::add)
        .map(id -> new Gateway(vertx, deployed, api.actualPort()))
        .recover(failure -> undeploy(vertx, deployed).transform(done -> Future.failedFuture(failure)));
  }

  public int port() {
    return port;
  }

  /** Stops the API first, then the kernels, then the proxies and the bridge. */
  public Future<Void> stop() {
    return undeploy(vertx, deployments);
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
