package io.github.kernelgate.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.github.kernelgate.bus.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the Docker events of kernel-labelled containers (plain ones and swarm task
 * containers alike) and publishes their start and death on the bus, so a dead kernel is known
 * within a second instead of at the next poll. Reconnects when the daemon comes back.
 */
final class DockerEventWatcher {

  private static final Logger LOG = LoggerFactory.getLogger(DockerEventWatcher.class);
  private static final long RECONNECT_MILLIS = 2_000;

  private final Vertx vertx;
  private final DockerClient streaming;
  private volatile boolean stopped;
  private volatile Closeable current;

  DockerEventWatcher(Vertx vertx, DockerClient streaming) {
    this.vertx = vertx;
    this.streaming = streaming;
  }

  void start() {
    if (stopped) {
      return;
    }
    ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
      @Override
      public void onStart(Closeable stream) {
        super.onStart(stream);
        current = stream;
        // Whatever died while the stream was down sent its event to nobody: let the lifecycle reconcile.
        vertx.eventBus().publish(Addresses.DOCKER_EVENTS_RESUMED, new JsonObject());
      }

      @Override
      public void onNext(Event event) {
        publish(event);
      }

      @Override
      public void onError(Throwable failure) {
        if (!stopped) {
          LOG.warn("docker event stream interrupted (reconnecting): {}", failure.getMessage());
        }
        reconnectLater();
      }

      @Override
      public void onComplete() {
        reconnectLater();
      }
    };
    try {
      streaming.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("start", "die")
          .withLabelFilter(Map.of(KernelContainerSpecs.LABEL_APP, KernelContainerSpecs.APP)).exec(callback);
    } catch (RuntimeException unreachable) {
      LOG.warn("docker event stream not available: {}", unreachable.getMessage());
      reconnectLater();
    }
  }

  private void reconnectLater() {
    if (!stopped) {
      vertx.setTimer(RECONNECT_MILLIS, retry -> vertx.executeBlocking(() -> {
        start();
        return null;
      }, false));
    }
  }

  // Runs on docker-java's stream thread.
  private void publish(Event event) {
    Map<String, String> attributes = event.getActor() == null || event.getActor().getAttributes() == null
        ? Map.of() : event.getActor().getAttributes();
    String kernelId = attributes.get(KernelContainerSpecs.LABEL_KERNEL_ID);
    JsonObject body = new JsonObject().put("container_id", event.getId()).put("kernel_id", kernelId)
        .put("service_id", attributes.get("com.docker.swarm.service.id"));
    if ("die".equals(event.getStatus())) {
      String exitCode = attributes.getOrDefault("exitCode", "-1");
      vertx.eventBus().publish(Addresses.DOCKER_CONTAINER_DIED, body.put("exit_code", Integer.parseInt(exitCode)));
    } else if ("start".equals(event.getStatus())) {
      vertx.eventBus().publish(Addresses.DOCKER_CONTAINER_STARTED, body);
    }
  }

  void stop() {
    stopped = true;
    Closeable stream = current;
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException ignored) {
        // Closing a dead stream.
      }
    }
  }
}
