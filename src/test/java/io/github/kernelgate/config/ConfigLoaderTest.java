package io.github.kernelgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verifies the precedence defaults &lt; file &lt; environment &lt; system properties, and value checks. */
class ConfigLoaderTest {

  @Test
  void defaultsApplyWhenNothingIsSet() {
    GatewayConfig config = ConfigLoader.resolve(Map.of(), Map.of(), Map.of());
    assertThat(config.port()).isEqualTo(8888);
    assertThat(config.ip()).isEqualTo("127.0.0.1");
    assertThat(config.defaultKernelName()).isEqualTo("python3");
    assertThat(config.unauthorizedUsers()).containsExactly("root");
    assertThat(config.maxKernels()).isNegative();
    assertThat(config.baseUrl()).isEqualTo("/");
  }

  @Test
  void environmentBeatsFileAndSystemPropertiesBeatEnvironment() {
    GatewayConfig fileOnly = ConfigLoader.resolve(Map.of("port", 9000), Map.of(), Map.of());
    assertThat(fileOnly.port()).isEqualTo(9000);
    GatewayConfig envWins = ConfigLoader.resolve(Map.of("port", 9000), Map.of("EG_PORT", "9100"), Map.of());
    assertThat(envWins.port()).isEqualTo(9100);
    GatewayConfig sysWins = ConfigLoader.resolve(Map.of("port", 9000), Map.of("EG_PORT", "9100"), Map.of("kernelgate.port", "9200"));
    assertThat(sysWins.port()).isEqualTo(9200);
  }

  @Test
  void egNamesWinOverTheirKgFallbacks() {
    assertThat(ConfigLoader.resolve(Map.of(), Map.of("KG_PORT", "1"), Map.of()).port()).isEqualTo(1);
    assertThat(ConfigLoader.resolve(Map.of(), Map.of("KG_PORT", "1", "EG_PORT", "2"), Map.of()).port()).isEqualTo(2);
  }

  @Test
  void listsAndBooleansAreParsed() {
    GatewayConfig config = ConfigLoader.resolve(Map.of(), Map.of("EG_CLIENT_ENVS", "A, B,,C", "EG_LIST_KERNELS", "False",
        "EG_UNAUTHORIZED_USERS", ""), Map.of());
    assertThat(config.clientEnvs()).containsExactly("A", "B", "C");
    assertThat(config.listKernels()).isFalse();
    assertThat(config.unauthorizedUsers()).isEmpty();
  }

  @Test
  void baseUrlIsNormalized() {
    assertThat(ConfigLoader.resolve(Map.of(), Map.of("EG_BASE_URL", "gw"), Map.of()).baseUrl()).isEqualTo("/gw/");
  }

  @Test
  void invalidValuesNameTheSetting() {
    assertThatThrownBy(() -> ConfigLoader.resolve(Map.of(), Map.of("EG_PORT", "eighty"), Map.of()))
        .hasMessageContaining("EG_PORT").hasMessageContaining("eighty");
    assertThatThrownBy(() -> ConfigLoader.resolve(Map.of(), Map.of("EG_LIST_KERNELS", "maybe"), Map.of()))
        .hasMessageContaining("list_kernels");
  }

  @Test
  void secretsAreMaskedInTheDescription() {
    GatewayConfig config = ConfigLoader.resolve(Map.of(), Map.of("EG_AUTH_TOKEN", "very-secret"), Map.of());
    assertThat(config.describe()).doesNotContain("very-secret").contains("auth_token (EG_AUTH_TOKEN) = ********");
  }

  @Test
  void inheritedEnvironmentTakesNamedVariablesButNeverTokens() {
    GatewayConfig config = GatewayConfig.from(ConfigLoader.layer(new JsonObject(),
        new JsonObject().put("EG_INHERITED_ENVS", "SHARED,EG_AUTH_TOKEN,MISSING"), new JsonObject()),
        Map.of("EG_AUTH_TOKEN", "t", "SHARED", "v", "OTHER", "o"));
    assertThat(config.inheritedEnvironment()).containsExactly(Map.entry("SHARED", "v"));
  }

  @Test
  void yamlFileIsReadThroughVertxConfig(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("kernelgate.yaml");
    Files.writeString(file, "port: 9321\nlist_kernels: false\nclient_envs: [FOO, BAR]\n");
    System.setProperty(ConfigLoader.CONFIG_FILE_VARIABLE, file.toString());
    Vertx vertx = Vertx.vertx();
    try {
      GatewayConfig config = new ConfigLoader(vertx).load().await(10, TimeUnit.SECONDS);
      assertThat(config.port()).isEqualTo(9321);
      assertThat(config.listKernels()).isFalse();
      assertThat(config.clientEnvs()).containsExactly("FOO", "BAR");
    } finally {
      System.clearProperty(ConfigLoader.CONFIG_FILE_VARIABLE);
      vertx.close();
    }
  }
}
