package io.github.kernelgate.kernel;

import static io.github.kernelgate.kernel.KernelLogFields.about;

import io.github.kernelgate.cluster.KernelOwners;
import io.github.kernelgate.kernel.store.KernelRecord;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.plugin.LaunchResult;
import io.github.kernelgate.plugin.ProcessProxy;
import io.github.kernelgate.zmq.ZmqBus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At start, takes over the kernels an earlier gateway recorded: each one's proxy is asked whether
 * it still runs and to answer for it again, the ZMQ sockets are reconnected with the recorded
 * key, and the kernel must answer kernel_info; it then serves under its own id, with its
 * variables and its sessions. A kernel that ended meanwhile is removed (its container or service too) and its
 * record dropped. A proxy that cannot be asked now (a plugin not deployed) keeps the record.
 */
final class KernelTakeover {

  private static final Logger LOG = LoggerFactory.getLogger(KernelTakeover.class);
  private static final long READY_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final KernelSpecStore specs;
  private final KernelLauncher launcher;
  private final ZmqBus zmq;
  private final KernelRecords records;
  private final KernelOwners owners;

  KernelTakeover(Vertx vertx, KernelSpecStore specs, KernelLauncher launcher, ZmqBus zmq, KernelRecords records, KernelOwners owners) {
    this.vertx = vertx;
    this.specs = specs;
    this.launcher = launcher;
    this.zmq = zmq;
    this.records = records;
    this.owners = owners;
  }

  /** A kernel taken over, running, and the sessions its record kept. */
  record TakenOver(ManagedKernel kernel, JsonArray sessions) {
  }

  /** The kernels taken over; never fails (what cannot be taken over is logged). */
  Future<List<TakenOver>> run() {
    long started = System.currentTimeMillis();
    return records.readAll().compose(found -> {
      List<Future<Optional<ManagedKernel>>> attempts = found.stream().map(this::takeOverRecorded).toList();
      return Future.join(attempts).transform(done -> {
        List<TakenOver> kernels = new ArrayList<>();
        for (int i = 0; i < attempts.size(); i++) {
          JsonArray sessions = found.get(i).sessions();
          if (attempts.get(i).succeeded()) {
            attempts.get(i).result().ifPresent(kernel -> kernels.add(new TakenOver(kernel, sessions)));
          } else {
            LOG.atError().addKeyValue("kernel_id", found.get(i).kernelId())
                .log("kernel not taken over: {}", attempts.get(i).cause().getMessage());
          }
        }
        if (!found.isEmpty()) {
          LOG.atInfo().addKeyValue("recorded", found.size()).addKeyValue("running", kernels.size())
              .addKeyValue("after_ms", System.currentTimeMillis() - started).log("kernels taken over");
        }
        return Future.succeededFuture(kernels);
      });
    }).recover(unreadable -> {
      LOG.error("kernel records cannot be read: no kernel is taken over: {}", unreadable.getMessage());
      return Future.succeededFuture(List.of());
    });
  }

  /** A kernel of this instance's own records, unless another replica of the cluster took it over while this one was down. */
  private Future<Optional<ManagedKernel>> takeOverRecorded(KernelRecord record) {
    return owners.claimRecorded(record.kernelId()).compose(ours -> {
      if (ours) {
        return takeOver(record);
      }
      LOG.atInfo().addKeyValue("kernel_id", record.kernelId())
          .log("kernel is served by another replica now: this replica's record of it is dropped");
      records.forgetHere(record.kernelId());
      return Future.succeededFuture(Optional.empty());
    });
  }

  /**
   * Takes one recorded kernel over: a kernel of this instance's records, or (clustered) one whose
   * replica left the cluster and whose ownership this replica has just won.
   */
  Future<Optional<ManagedKernel>> takeOver(KernelRecord record) {
    return vertx.executeBlocking(() -> specs.find(record.specName()), false).compose(spec -> {
      if (spec.isEmpty()) {
        LOG.atError().addKeyValue("kernel_id", record.kernelId())
            .log("kernel record names kernel spec '{}', which is gone: the kernel is not taken over", record.specName());
        return Future.succeededFuture(Optional.<ManagedKernel>empty());
      }
      ManagedKernel kernel = kernelOf(record, spec.get());
      ProcessProxy proxy = launcher.proxyOf(kernel);
      return proxy.adopt(kernel.id, kernel.launchId, record.processInfo())
          .recover(unreachable -> {
            about(LOG.atWarn(), kernel)
                .log("proxy cannot be asked about the kernel now; its record is kept for the next start: {}", unreachable.getMessage());
            return Future.succeededFuture(null);
          })
          .compose(alive -> {
            if (alive == null) {
              return Future.succeededFuture(Optional.<ManagedKernel>empty());
            }
            return alive ? connect(kernel, proxy) : removeGone(kernel, proxy, "it ended while no gateway watched it");
          });
    });
  }

  private Future<Optional<ManagedKernel>> connect(ManagedKernel kernel, ProcessProxy proxy) {
    return zmq.connect(kernel.id, kernel.launched.connectionInfo())
        .compose(connected -> zmq.awaitReady(kernel.id, READY_TIMEOUT_MILLIS))
        .map(ready -> {
          kernel.moveTo(KernelState.RUNNING);
          kernel.executionState = "idle";
          about(LOG.atInfo(), kernel).log("kernel taken over");
          return Optional.of(kernel);
        })
        .recover(silent -> removeGone(kernel, proxy, "it runs but does not answer: " + silent.getMessage()));
  }

  private Future<Optional<ManagedKernel>> removeGone(ManagedKernel kernel, ProcessProxy proxy, String why) {
    about(LOG.atWarn(), kernel).log("recorded kernel removed: {}", why);
    return launcher.abandon(kernel, proxy).map(done -> {
      records.forget(kernel.id);
      return Optional.empty();
    });
  }

  private static ManagedKernel kernelOf(KernelRecord record, KernelSpec spec) {
    ManagedKernel kernel = new ManagedKernel(record.kernelId(), spec, record.proxyName(), record.username(), record.env(), record.path(),
        record.launchTimeoutMillis());
    kernel.launchId = record.launchId();
    kernel.launched = new LaunchResult(record.launchId(), ConnectionInfo.fromJson(record.connectionInfo()), record.processInfo());
    return kernel;
  }
}
