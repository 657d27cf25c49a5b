package io.github.kernelgate.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.testsupport.ContainerizedGateway;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.RunningGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * swarm/stack.yml with two gateway replicas (KG_REPLICAS=2) on this single node: a kernel (a swarm
 * service) started through one task is read, run through a WebSocket and deleted through the
 * other. One node cannot publish the port twice in host mode, so the test deploys the stack
 * without its published port and talks to the tasks from a container on the stack's overlay
 * network (src/test/resources/probes/replicas_probe.py). The stack's health check hides each task
 * from {@code tasks.<stack>_gateway} until it is ready, so the two replicas start as clusters of
 * their own and merge once their names resolve: the probe waits until both report two members.
 */
class SwarmReplicasIT {

  private static final String STACK = "kgrep" + Long.toHexString(System.nanoTime() & 0xffff);
  private static final String NETWORK = STACK + "-kernels";

  @AfterEach
  void removeStack() throws Exception {
    DockerCli.run("stack", "rm", STACK);
    for (String service : DockerCli.run("service", "ls", "-q", "--filter", "name=" + STACK).output().lines().toList()) {
      DockerCli.run("service", "rm", service);
    }
    long deadline = System.currentTimeMillis() + 60_000;
    while (DockerCli.run("volume", "rm", STACK + "_state").exitCode() != 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(500);
    }
  }

  @Test
  void aKernelStartedThroughOneTaskAnswersThroughTheOther() throws Exception {
    String stack = Files.readString(RunningGateway.repositoryPath("swarm/stack.yml"))
        .replaceAll("(?s)    ports:\\n.*?(?=    networks:)", "")
        .replace("        max_replicas_per_node: 1\n", "");
    Path stackFile = RunningGateway.repositoryPath("target/" + STACK + ".yml");
    Files.writeString(stackFile, stack);
    ContainerizedGateway.run(List.of(RunningGateway.repositoryPath("compose/build-images.sh").toString(), "gateway"), Map.of());
    ContainerizedGateway.run(List.of(DockerCli.DOCKER, "stack", "deploy", "-c", stackFile.toString(), STACK),
        Map.of("KG_STACK_NAME", STACK, "KG_STACK_NETWORK", NETWORK, "KG_REPLICAS", "2"));

    DockerCli.Result probe = DockerCli.run("run", "--rm", "--network", NETWORK, "--label", DockerCli.TEST_LABEL,
        "-v", RunningGateway.repositoryPath("src/test/resources/probes") + ":/probes:ro", "kernelgate/kernel-py:dev",
        "python3", "/probes/replicas_probe.py", STACK + "_gateway", STACK + "-ada");
    assertThat(probe.ok()).as(probe.output()).isTrue();
    String last = probe.output().lines().reduce((first, second) -> second).orElse("{}");
    JsonObject seen = new JsonObject(last);
    String kernelId = seen.getString("kernel_id");
    assertThat(seen.getString("first")).isNotEqualTo(seen.getString("second"));
    assertThat(seen.getInteger("get_through_second")).as("read through the other task").isEqualTo(200);
    assertThat(seen.getJsonArray("listed_by_second", new JsonArray())).as("listed by the other task").contains(kernelId);
    assertThat(seen.getString("result_through_second")).as("executed through the other task's WebSocket").isEqualTo("42");
    assertThat(seen.getInteger("delete_through_second")).as("deleted through the other task").isEqualTo(204);
    assertThat(DockerCli.run("service", "ls", "-q", "--filter", "name=" + STACK + "-ada").output()).as("its service is gone").isEmpty();
    // The stack's health check is what put each task in tasks.<stack>_gateway, where the other found it.
    List<String> tasks = DockerCli.run("ps", "-q", "--filter", "label=com.docker.swarm.service.name=" + STACK + "_gateway").output().lines().toList();
    assertThat(tasks).hasSize(2);
    for (String task : tasks) {
      assertThat(DockerCli.run("inspect", "-f", "{{.State.Health.Status}}", task).output().strip()).isEqualTo("healthy");
    }
  }
}
