package io.github.kernelgate.launch;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifies which handshake payloads a waiting launch accepts. */
class LaunchExpectationTest {

  private static JsonObject payload(String secret) {
    JsonObject info = new JsonObject().put("kernel_id", "k").put("shell_port", 1);
    return secret == null ? info : info.put(LaunchExpectation.SECRET_FIELD, secret);
  }

  @Test
  void theRightSecretIsAcceptedFromAnywhereAndRemovedFromTheInfo() {
    LaunchExpectation rules = new LaunchExpectation("s3", false);
    LaunchExpectation.Verdict verdict = rules.judge(payload("s3"), "10.0.0.9");
    assertThat(verdict).isInstanceOf(LaunchExpectation.Verdict.Accept.class);
    assertThat(((LaunchExpectation.Verdict.Accept) verdict).info().containsKey(LaunchExpectation.SECRET_FIELD)).isFalse();
  }

  @Test
  void aWrongSecretIsRefusedEvenFromTheKernelsAddress() {
    LaunchExpectation rules = new LaunchExpectation("s3", true);
    rules.addressKnown("10.0.0.5", new ArrayList<>());
    assertThat(rules.judge(payload("guess"), "10.0.0.5")).isInstanceOf(LaunchExpectation.Verdict.Refuse.class);
    assertThat(rules.judge(payload(""), "10.0.0.5")).isInstanceOf(LaunchExpectation.Verdict.Refuse.class);
  }

  @Test
  void noSecretIsRefusedWhenTheLauncherAlwaysSendsOne() {
    LaunchExpectation rules = new LaunchExpectation("s3", false);
    assertThat(rules.judge(payload(null), "127.0.0.1")).isInstanceOf(LaunchExpectation.Verdict.Refuse.class);
  }

  @Test
  void withoutASecretOnlyTheKernelsAddressIsAccepted() {
    LaunchExpectation rules = new LaunchExpectation("s3", true);
    rules.addressKnown("10.0.0.5", new ArrayList<>());
    assertThat(rules.judge(payload(null), "10.0.0.6")).isInstanceOf(LaunchExpectation.Verdict.Refuse.class);
    assertThat(rules.judge(payload(null), "::ffff:10.0.0.5")).isInstanceOf(LaunchExpectation.Verdict.Accept.class);
  }

  @Test
  void unsignedPayloadsWaitForTheAddressThenTheOneFromItWins() {
    LaunchExpectation rules = new LaunchExpectation("s3", true);
    assertThat(rules.judge(payload(null).put("shell_port", 666), "192.168.1.66")).isInstanceOf(LaunchExpectation.Verdict.Park.class);
    assertThat(rules.judge(payload(null), "10.0.0.5")).isInstanceOf(LaunchExpectation.Verdict.Park.class);
    List<String> refused = new ArrayList<>();
    JsonObject accepted = rules.addressKnown("10.0.0.5", refused).orElseThrow();
    assertThat(accepted.getInteger("shell_port")).isEqualTo(1);
    assertThat(refused).containsExactly("192.168.1.66");
  }

  @Test
  void parkingIsBounded() {
    LaunchExpectation rules = new LaunchExpectation("s3", true);
    for (int i = 0; i < LaunchExpectation.MAX_PARKED; i++) {
      assertThat(rules.judge(payload(null), "10.1.1." + i)).isInstanceOf(LaunchExpectation.Verdict.Park.class);
    }
    assertThat(rules.judge(payload(null), "10.1.2.1")).isInstanceOf(LaunchExpectation.Verdict.Refuse.class);
  }
}
