package io.github.kernelgate.cluster;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.github.kernelgate.bus.KernelCommands;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * A replica's door, deployed when clustered: other replicas send the kernel and session commands
 * for kernels this one owns to {@code Addresses.onReplica(<this instance>, <command>)}, and the
 * door passes them to this replica's lifecycle, answering with its answer or its error.
 */
public final class ReplicaDoorVerticle extends VerticleBase {

  @Override
  public Future<?> start() {
    String self = GatewayConfig.fromJson(config()).instanceId();
    return Future.all(KernelCommands.FORWARDED.stream()
        .map(command -> JsonBus.answerAcrossCluster(vertx, Addresses.onReplica(self, command),
            body -> JsonBus.request(vertx, command, body, KernelCommands.timeoutMillis(command))))
        .toList());
  }
}
