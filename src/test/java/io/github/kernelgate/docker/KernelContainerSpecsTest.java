package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.plugin.LaunchRequest;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verifies the container spec rules of EG §3.2-§3.3 and §8 without a Docker engine. */
class KernelContainerSpecsTest {

  private static final DockerSettings SETTINGS = new DockerSettings("unix:///var/run/docker.sock", "kernels", "default/image:1",
      List.of("0"), List.of("0"), false, true, false, false, "kg-test1");

  private static LaunchRequest request(JsonObject config) {
    JsonObject spec = new JsonObject().put("metadata", new JsonObject().put("process_proxy", new JsonObject().put("config", config)));
    return new LaunchRequest("kid", "launch-1", "spec_name", List.of(), Map.of(), null, "/specs/spec_name", 30_000, spec);
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> env = new HashMap<>(Map.of("KERNEL_USERNAME", "alice", "KERNEL_ID", "kid"));
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      env.put(pairs[i], pairs[i + 1]);
    }
    return env;
  }

  @Test
  void nameLabelsNetworkAndModeFollowEg() {
    KernelContainerSpec spec = new KernelContainerSpecs(SETTINGS).build(request(new JsonObject()), env(), "swarm");
    assertThat(spec.name()).isEqualTo("alice-kid");
    assertThat(spec.labels()).containsEntry("kernel_id", "kid").containsEntry("component", "kernel").containsEntry("app", "enterprise-gateway")
        .as("the owning gateway instance").containsEntry("kernelgate.instance", "kg-test1");
    assertThat(spec.network()).isEqualTo("kernels");
    assertThat(spec.env()).contains("EG_DOCKER_MODE=swarm", "EG_DOCKER_NETWORK=kernels", "KERNEL_UID=1000", "KERNEL_GID=100",
        "KERNEL_IMAGE=default/image:1");
    assertThat(spec.user()).isEqualTo("1000");
    assertThat(spec.groups()).containsExactly("100", "100");
  }

  @Test
  void imageComesFromClientThenSpecThenDefault() {
    KernelContainerSpecs specs = new KernelContainerSpecs(SETTINGS);
    assertThat(specs.build(request(new JsonObject().put("image_name", "spec/image:2")), env("KERNEL_IMAGE", "client/image:3"), "docker").image())
        .isEqualTo("client/image:3");
    assertThat(specs.build(request(new JsonObject().put("image_name", "spec/image:2")), env(), "docker").image()).isEqualTo("spec/image:2");
    assertThatThrownBy(() -> specs.build(request(new JsonObject()), env("KERNEL_IMAGE", "bad image"), "docker"))
        .isInstanceOf(GatewayException.class).hasMessageContaining("bad image");
  }

  @Test
  void identitiesAreNormalizedAndRootIsRefused() {
    KernelContainerSpecs specs = new KernelContainerSpecs(SETTINGS);
    assertThat(specs.build(request(new JsonObject()), env("KERNEL_UID", " +0_1001 "), "docker").user()).isEqualTo("1001");
    for (String root : List.of("0", " 0", "00", "+0", "-0")) {
      assertThatThrownBy(() -> specs.build(request(new JsonObject()), env("KERNEL_UID", root), "docker"))
          .isInstanceOf(GatewayException.class).satisfies(error -> assertThat(((GatewayException) error).status()).isEqualTo(403));
    }
    DockerSettings broken = new DockerSettings("", "n", "i:1", List.of("0", "x"), List.of("0"), false, true, false, false, "kg-test1");
    assertThatThrownBy(() -> new KernelContainerSpecs(broken).build(request(new JsonObject()), env(), "docker"))
        .hasMessageContaining("non-integer");
  }

  @Test
  void workingDirectoryOnlyWhenMirroredAndSpecMountOnlyWhenAskedFor() {
    Map<String, String> withDir = env("KERNEL_WORKING_DIR", "/home/alice/work");
    KernelContainerSpec plain = new KernelContainerSpecs(SETTINGS).build(request(new JsonObject()), withDir, "docker");
    assertThat(plain.workingDir()).isNull();
    assertThat(plain.env()).noneMatch(entry -> entry.startsWith("KERNEL_WORKING_DIR="));
    assertThat(plain.binds()).isEmpty();
    DockerSettings mirroring = new DockerSettings("", "n", "i:1", List.of("0"), List.of("0"), true, true, true, false, "kg-test1");
    KernelContainerSpec mirrored = new KernelContainerSpecs(mirroring).build(request(new JsonObject().put("gpus", -1)), withDir, "docker");
    assertThat(mirrored.workingDir()).isEqualTo("/home/alice/work");
    assertThat(mirrored.binds()).containsExactly("/specs/spec_name:/usr/local/share/jupyter/kernels/spec_name:ro");
    assertThat(mirrored.gpus()).isEqualTo(-1);
  }

  @Test
  void namesAreValidForDockerWhateverTheUser() {
    assertThat(KernelContainerSpecs.objectName("alice smith@corp", "kid")).isEqualTo("alice-smith-corp-kid");
    assertThat(KernelContainerSpecs.objectName("", "kid")).isEqualTo("k-kid");
    assertThat(KernelContainerSpecs.objectName("_x", "kid")).isEqualTo("k_x-kid");
  }
}
