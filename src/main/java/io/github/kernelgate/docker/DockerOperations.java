package io.github.kernelgate.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerSpec;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.EndpointResolutionMode;
import com.github.dockerjava.api.model.EndpointSpec;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.NetworkAttachmentConfig;
import com.github.dockerjava.api.model.Service;
import com.github.dockerjava.api.model.ServiceRestartCondition;
import com.github.dockerjava.api.model.ServiceRestartPolicy;
import com.github.dockerjava.api.model.ServiceSpec;
import com.github.dockerjava.api.model.Task;
import com.github.dockerjava.api.model.TaskSpec;
import com.github.dockerjava.transport.DockerHttpClient;
import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The blocking Docker calls, one method per bus command, JSON in and out. Only the Docker
 * verticle calls these, and only on its worker threads.
 */
final class DockerOperations {

  /** Kernels carry both labels; the gateway's own service (app=enterprise-gateway, component=gateway) never matches. */
  private static final List<String> KERNEL_LABELS = List.of(KernelContainerSpecs.LABEL_APP + "=" + KernelContainerSpecs.APP, "component=kernel");

  /** The reason of a create refused for a missing image. */
  static final String IMAGE_NOT_FOUND = "Kernel image not found";
  private static final long REMOVAL_WAIT_MILLIS = 30_000;
  private static final long REMOVAL_POLL_MILLIS = 100;

  private final DockerClient docker;
  private final DockerHttpClient http;

  DockerOperations(DockerClient docker, DockerHttpClient http) {
    this.docker = docker;
    this.http = http;
  }

  JsonObject ping() {
    docker.pingCmd().exec();
    return new JsonObject().put("api_version", docker.versionCmd().exec().getApiVersion());
  }

  JsonObject createContainer(KernelContainerSpec spec) {
    HostConfig host = HostConfig.newHostConfig().withNetworkMode(spec.network()).withAutoRemove(false).withGroupAdd(spec.groups())
        .withBinds(spec.binds().stream().map(Bind::parse).toList());
    if (spec.gpus() != 0) {
      host.withDeviceRequests(List.of(new DeviceRequest().withCount(spec.gpus()).withCapabilities(List.of(List.of("gpu")))));
    }
    CreateContainerCmd create = docker.createContainerCmd(spec.image()).withName(spec.name()).withHostName(spec.name())
        .withLabels(spec.labels()).withEnv(spec.env()).withUser(spec.user()).withHostConfig(host);
    if (spec.workingDir() != null) {
      create.withWorkingDir(spec.workingDir());
    }
    try {
      return new JsonObject().put("id", create.exec().getId());
    } catch (NotFoundException missing) {
      if (String.valueOf(missing.getMessage()).toLowerCase().contains("image")) {
        throw imageMissing(spec.image());
      }
      throw missing;
    }
  }

  /** A 404 whose reason names the image; the runtime decides whose fault it is (client or spec). */
  private static GatewayException imageMissing(String image) {
    return new GatewayException(404, IMAGE_NOT_FOUND, "Kernel image '" + image
        + "' was not found on the Docker host (no registry is pulled from: build or load it there first)");
  }

  JsonObject startContainer(String id) {
    docker.startContainerCmd(id).exec();
    return new JsonObject();
  }

  JsonObject inspectContainer(String id, String network) {
    InspectContainerResponse inspected = docker.inspectContainerCmd(id).exec();
    InspectContainerResponse.ContainerState state = inspected.getState();
    return new JsonObject().put("id", inspected.getId()).put("name", inspected.getName())
        .put("status", state.getStatus()).put("running", Boolean.TRUE.equals(state.getRunning()))
        .put("exit_code", state.getExitCodeLong()).put("error", state.getError())
        .put("ip", ipAddress(inspected, network)).put("labels", new JsonObject(inspected.getConfig().getLabels() == null ? Map.of() : Map.copyOf(inspected.getConfig().getLabels())));
  }

  /** On user networks the top-level IPAddress is empty: read the named network first. */
  private static String ipAddress(InspectContainerResponse inspected, String network) {
    Map<String, ContainerNetwork> networks = inspected.getNetworkSettings().getNetworks();
    if (networks != null && network != null && networks.get(network) != null && !networks.get(network).getIpAddress().isEmpty()) {
      return networks.get(network).getIpAddress();
    }
    if (networks != null) {
      for (ContainerNetwork attached : networks.values()) {
        if (attached.getIpAddress() != null && !attached.getIpAddress().isEmpty()) {
          return attached.getIpAddress();
        }
      }
    }
    return inspected.getNetworkSettings().getIpAddress();
  }

  /**
   * Force-removes (or only kills, when containers are kept); answers only once the container is
   * gone. Docker answers 409 while another removal of it (its own, after a death) is in
   * progress: that is not done yet, so wait for it to finish.
   */
  JsonObject removeContainer(String id, boolean keep) {
    try {
      if (keep) {
        docker.killContainerCmd(id).exec();
      } else {
        docker.removeContainerCmd(id).withForce(true).exec();
      }
    } catch (NotFoundException alreadyGone) {
      // Done already.
    } catch (ConflictException busy) {
      if (!keep) {
        awaitGone(id);
      }
      // A kept container that already stopped: nothing to do.
    }
    return new JsonObject();
  }

  /** Blocks this worker until the container is gone (Docker finishes a removal within seconds). */
  private void awaitGone(String id) {
    long deadline = System.currentTimeMillis() + REMOVAL_WAIT_MILLIS;
    while (System.currentTimeMillis() < deadline) {
      try {
        docker.inspectContainerCmd(id).exec();
      } catch (NotFoundException gone) {
        return;
      }
      try {
        Thread.sleep(REMOVAL_POLL_MILLIS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new ConflictException("container " + id + " is still being removed after " + REMOVAL_WAIT_MILLIS / 1000 + " s");
  }

  JsonObject createService(KernelContainerSpec spec) {
    ContainerSpec container = new ContainerSpec().withImage(spec.image()).withHostname(spec.name()).withEnv(spec.env())
        .withUser(spec.user()).withLabels(spec.labels());
    if (spec.workingDir() != null) {
      container.withDir(spec.workingDir());
    }
    TaskSpec task = new TaskSpec().withContainerSpec(container)
        .withRestartPolicy(new ServiceRestartPolicy().withCondition(ServiceRestartCondition.NONE))
        .withNetworks(List.of(new NetworkAttachmentConfig().withTarget(spec.network())));
    ServiceSpec service = new ServiceSpec().withName(spec.name()).withLabels(spec.labels()).withTaskTemplate(task)
        .withEndpointSpec(new EndpointSpec().withMode(EndpointResolutionMode.DNSRR));
    return new JsonObject().put("id", docker.createServiceCmd(service).exec().getId());
  }

  JsonObject removeService(String idOrName) {
    try {
      docker.removeServiceCmd(idOrName).exec();
    } catch (NotFoundException alreadyGone) {
      // Done already.
    }
    return new JsonObject();
  }

  /** The service's tasks with state, Docker's error text and the task IP on {@code network}. */
  JsonObject listTasks(String service, String network) {
    JsonArray tasks = new JsonArray();
    for (Task task : docker.listTasksCmd().withServiceFilter(service).exec()) {
      var status = task.getStatus();
      tasks.add(new JsonObject().put("id", task.getId())
          .put("state", status == null || status.getState() == null ? null : status.getState().getValue())
          .put("desired_state", task.getDesiredState() == null ? null : task.getDesiredState().getValue())
          .put("message", status == null ? null : status.getMessage())
          .put("error", status == null ? null : status.getErr())
          .put("container_id", status == null || status.getContainerStatus() == null ? null : status.getContainerStatus().getContainerID())
          .put("ip", taskAddress(task.getId(), network)));
    }
    return new JsonObject().put("tasks", tasks);
  }

  /** docker-java's Task model lacks NetworksAttachments: read the raw task JSON for the IP. */
  private String taskAddress(String taskId, String network) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.GET)
        .path("/tasks/" + taskId).build();
    try (DockerHttpClient.Response response = http.execute(request)) {
      JsonObject task = new JsonObject(new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
      JsonArray attachments = task.getJsonArray("NetworksAttachments", new JsonArray());
      String fallback = null;
      for (Object item : attachments) {
        JsonObject attachment = (JsonObject) item;
        JsonArray addresses = attachment.getJsonArray("Addresses", new JsonArray());
        if (addresses.isEmpty()) {
          continue;
        }
        String address = addresses.getString(0).split("/")[0];
        String name = attachment.getJsonObject("Network", new JsonObject()).getJsonObject("Spec", new JsonObject()).getString("Name");
        if (network != null && network.equals(name)) {
          return address;
        }
        fallback = fallback == null ? address : fallback;
      }
      return fallback;
    } catch (IOException | RuntimeException unreadable) {
      return null;
    }
  }

  /** Every container and service labelled as an EG/KernelGate kernel, with its kernel id and gateway instance (null for EG's). */
  JsonObject listKernelObjects() {
    JsonArray containers = new JsonArray();
    for (Container container : docker.listContainersCmd().withShowAll(true).withLabelFilter(KERNEL_LABELS).exec()) {
      containers.add(new JsonObject().put("id", container.getId()).put("name", String.join(",", container.getNames()))
          .put("kernel_id", container.getLabels().get(KernelContainerSpecs.LABEL_KERNEL_ID)).put("state", container.getState())
          .put("instance", container.getLabels().get(KernelContainerSpecs.LABEL_INSTANCE))
          .put("swarm_task", container.getLabels().containsKey("com.docker.swarm.task.id")));
    }
    JsonArray services = new JsonArray();
    try {
      for (Service service : docker.listServicesCmd().withLabelFilter(Map.of(KernelContainerSpecs.LABEL_APP, KernelContainerSpecs.APP, "component", "kernel")).exec()) {
        services.add(new JsonObject().put("id", service.getId()).put("name", service.getSpec().getName())
            .put("kernel_id", service.getSpec().getLabels().get(KernelContainerSpecs.LABEL_KERNEL_ID))
            .put("instance", service.getSpec().getLabels().get(KernelContainerSpecs.LABEL_INSTANCE)));
      }
    } catch (com.github.dockerjava.api.exception.DockerException notASwarmManager) {
      // Services exist only on a swarm manager.
    }
    return new JsonObject().put("containers", containers).put("services", services);
  }

  /** Removes the containers and services labelled with this kernel id and gateway instance; answers {@code {removed}}. */
  JsonObject removeKernelObjects(String kernelId, String instance) {
    JsonObject found = listKernelObjects();
    int removed = 0;
    for (JsonObject service : found.getJsonArray("services").stream().map(JsonObject.class::cast).toList()) {
      if (kernelId.equals(service.getString("kernel_id")) && instance.equals(service.getString("instance"))) {
        removeService(service.getString("id"));
        removed++;
      }
    }
    for (JsonObject container : found.getJsonArray("containers").stream().map(JsonObject.class::cast).toList()) {
      // A service's task goes with its service.
      if (kernelId.equals(container.getString("kernel_id")) && instance.equals(container.getString("instance"))
          && !container.getBoolean("swarm_task", false)) {
        removeContainer(container.getString("id"), false);
        removed++;
      }
    }
    return new JsonObject().put("removed", removed);
  }
}
