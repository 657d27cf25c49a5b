package io.github.kernelgate.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verifies the start-environment rules: what is kept, what is refused, and how the kernel's env is layered. */
class ClientEnvironmentTest {

  @Test
  void keepsKernelVariablesAndAllowedNamesOnly() {
    Map<String, String> kept = ClientEnvironment.filter(new JsonObject().put("KERNEL_A", "1").put("FOO", "2").put("BAR", "3"), List.of("FOO"));
    assertThat(kept).containsOnlyKeys("KERNEL_A", "FOO");
    assertThat(ClientEnvironment.filter(new JsonObject().put("ANY", "x"), List.of("*"))).containsOnlyKeys("ANY");
  }

  @Test
  void droppedNamesAreNotValidated() {
    assertThat(ClientEnvironment.filter(new JsonObject().put("OTHER", 5).put("X", "a$b"), List.of())).isEmpty();
  }

  @Test
  void jsonishAndSpacedValuesPass() {
    assertThat(ClientEnvironment.filter(new JsonObject().put("KERNEL_J", "{\"a\": [1, 2]} and spaces"), List.of())).hasSize(1);
  }

  @Test
  void refusalsNameTheKeyAndNeverTheValue() {
    assertThatThrownBy(() -> ClientEnvironment.filter(new JsonObject().put("KERNEL_X", "a`id`"), List.of()))
        .isInstanceOf(GatewayException.class).hasMessageContaining("KERNEL_X").hasMessageNotContaining("id`");
    assertThatThrownBy(() -> ClientEnvironment.filter(new JsonObject().put("KERNEL_X", new JsonArray()), List.of()))
        .hasMessageContaining("must be a string");
    assertThatThrownBy(() -> ClientEnvironment.filter("text", List.of())).hasMessageContaining("JSON object");
  }

  /** Verifies that a name that could forge another variable (newline, '=', NUL) or is not portable gets a 400. */
  @Test
  void invalidVariableNamesAreRefused() {
    for (String name : List.of("KERNEL_\nX", "KERNEL_X=Y", "KERNEL_\u0000", "KERNEL_ X", "KERNEL_-X", "KERNEL_É")) {
      assertThatThrownBy(() -> ClientEnvironment.filter(new JsonObject().put(name, "v"), List.of()))
          .as(name).isInstanceOf(GatewayException.class)
          .satisfies(failure -> assertThat(((GatewayException) failure).status()).isEqualTo(400))
          .hasMessageContaining("names must match");
    }
    assertThatThrownBy(() -> ClientEnvironment.filter(new JsonObject().put("9LIVES", "v"), List.of("*")))
        .hasMessageContaining("9LIVES");
    assertThat(ClientEnvironment.filter(new JsonObject().put("KERNEL_Ok_9", "v").put("_under", "w"), List.of("_under")))
        .containsOnlyKeys("KERNEL_Ok_9", "_under");
  }

  @Test
  void kernelEnvironmentLayersSpecAndClient() {
    KernelSpec spec = new KernelSpec("demo", Path.of("/tmp"), new JsonObject().put("language", "Python")
        .put("env", new JsonObject().put("GREETING", "hi ${KERNEL_USERNAME} $HOME $UNKNOWN").put("KERNEL_MODE", "spec")), List.of());
    Map<String, String> env = KernelEnvironment.build(Map.of("HOME", "/home/u", "EG_AUTH_TOKEN", "t"),
        Map.of("KERNEL_USERNAME", "ada", "KERNEL_MODE", "client"), spec, "kid", "ada");
    assertThat(env.get("GREETING")).isEqualTo("hi ada /home/u $UNKNOWN");
    assertThat(env.get("KERNEL_MODE")).isEqualTo("client");
    assertThat(env.get("KERNEL_LANGUAGE")).isEqualTo("python");
    assertThat(env.get("KERNEL_GATEWAY")).isEqualTo("1");
    assertThat(env).doesNotContainKey("EG_AUTH_TOKEN");
  }

  @Test
  void launchTimeoutIsValidated() {
    assertThat(KernelEnvironment.launchTimeoutMillis(Map.of(), 30)).isEqualTo(30_000);
    assertThat(KernelEnvironment.launchTimeoutMillis(Map.of("KERNEL_LAUNCH_TIMEOUT", "2.5"), 30)).isEqualTo(2_500);
    assertThatThrownBy(() -> KernelEnvironment.launchTimeoutMillis(Map.of("KERNEL_LAUNCH_TIMEOUT", "soon"), 30))
        .hasMessageContaining("KERNEL_LAUNCH_TIMEOUT");
  }
}
