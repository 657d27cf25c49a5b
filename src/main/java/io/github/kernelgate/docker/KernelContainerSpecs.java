package io.github.kernelgate.docker;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds a kernel's container spec the way EG does (§3.2-§3.3): name and hostname
 * {@code <KERNEL_USERNAME>-<kernel_id>}, labels kernel_id / component=kernel /
 * app=enterprise-gateway (and KernelGate's kernelgate.instance), the image from KERNEL_IMAGE, the spec's {@code image_name} or the
 * default, checked UID/GID, KERNEL_WORKING_DIR only when mirrored, and the launcher env with
 * EG_DOCKER_MODE and EG_DOCKER_NETWORK. Never the gateway's own environment.
 */
public final class KernelContainerSpecs {

  public static final String LABEL_APP = "app";
  public static final String APP = "enterprise-gateway";
  public static final String LABEL_KERNEL_ID = "kernel_id";
  /** The gateway instance that owns the kernel (see GatewayInstance): no gateway touches another one's kernels. */
  public static final String LABEL_INSTANCE = "kernelgate.instance";
  private static final Pattern IMAGE_NAME =
      Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9._\\-/]*(:[a-zA-Z0-9._\\-]+)?(@sha256:[a-f0-9]+)?$");

  private final DockerSettings settings;

  public KernelContainerSpecs(DockerSettings settings) {
    this.settings = settings;
  }

  /** {@code mode} is {@code docker} or {@code swarm}. */
  public KernelContainerSpec build(LaunchRequest request, Map<String, String> launcherEnv, String mode) {
    JsonObject config = request.spec().getJsonObject("metadata", new JsonObject())
        .getJsonObject("process_proxy", new JsonObject()).getJsonObject("config", new JsonObject());
    String image = image(launcherEnv.get("KERNEL_IMAGE"), config.getString("image_name"));
    String uid = KernelIdentity.check("KERNEL_UID", launcherEnv.get("KERNEL_UID"), "1000", settings.prohibitedUids());
    String gid = KernelIdentity.check("KERNEL_GID", launcherEnv.get("KERNEL_GID"), "100", settings.prohibitedGids());
    String name = objectName(launcherEnv.getOrDefault("KERNEL_USERNAME", ""), request.kernelId());

    Map<String, String> env = new TreeMap<>(launcherEnv);
    env.put("KERNEL_IMAGE", image);
    env.put("KERNEL_UID", uid);
    env.put("KERNEL_GID", gid);
    env.put("EG_DOCKER_MODE", mode);
    env.put("EG_DOCKER_NETWORK", settings.network());
    env.putIfAbsent("EG_IMPERSONATION_ENABLED", "False");
    String workingDir = null;
    if (settings.mirrorWorkingDirs()) {
      workingDir = env.get("KERNEL_WORKING_DIR");
    } else {
      env.remove("KERNEL_WORKING_DIR");
    }
    List<String> envList = new ArrayList<>();
    env.forEach((key, value) -> envList.add(key + "=" + value));

    List<String> binds = new ArrayList<>();
    if (settings.mountKernelspecs() && request.resourceDir() != null) {
      binds.add(request.resourceDir() + ":/usr/local/share/jupyter/kernels/" + request.kernelName() + ":ro");
    }
    int gpus = config.getInteger("gpus", 0);
    Map<String, String> labels = Map.of(LABEL_KERNEL_ID, request.kernelId(), "component", "kernel", LABEL_APP, APP,
        LABEL_INSTANCE, settings.instanceId());
    return new KernelContainerSpec(name, image, labels, envList, uid, List.of(gid, "100"), workingDir, settings.network(), binds, gpus);
  }

  /**
   * EG's {@code <user>-<kernel_id>}, made a valid Docker name and hostname: characters Docker
   * refuses become '-', and the user part is cut so the hostname stays within 63 characters.
   */
  static String objectName(String username, String kernelId) {
    String user = username.replaceAll("[^a-zA-Z0-9_.-]", "-");
    if (user.length() > 26) {
      user = user.substring(0, 26);
    }
    return user.isEmpty() || !Character.isLetterOrDigit(user.charAt(0)) ? "k" + user + "-" + kernelId : user + "-" + kernelId;
  }

  private String image(String fromClient, String fromSpec) {
    String image = fromClient != null && !fromClient.isBlank() ? fromClient
        : fromSpec != null && !fromSpec.isBlank() ? fromSpec : settings.defaultImage();
    if (image == null || image.isBlank()) {
      throw GatewayException.internal("No kernel image could be determined! Set the `image_name` in the process_proxy.config"
          + " stanza of the corresponding kernel.json file.");
    }
    if (!IMAGE_NAME.matcher(image).matches()) {
      throw GatewayException.badRequest("Kernel image name '" + image + "' is not a valid image reference");
    }
    return image;
  }
}
