package io.github.kernelgate.docker;

import io.github.kernelgate.config.GatewayConfig;
import java.util.List;

/** The Docker-related settings, read once from the gateway configuration. */
public record DockerSettings(String dockerHost, String network, String defaultImage, List<String> prohibitedUids,
                             List<String> prohibitedGids, boolean mirrorWorkingDirs, boolean removeContainer,
                             boolean mountKernelspecs, boolean removeOrphans, String instanceId) {

  public static DockerSettings from(GatewayConfig config) {
    return new DockerSettings(config.dockerHost(), config.dockerNetwork(), config.kernelImage(), config.prohibitedUids(),
        config.prohibitedGids(), config.mirrorWorkingDirs(), config.removeContainer(), config.mountKernelspecs(), config.removeOrphans(),
        config.instanceId());
  }
}
