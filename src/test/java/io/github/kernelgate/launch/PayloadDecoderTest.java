package io.github.kernelgate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.kernelgate.testsupport.TestPayloads;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Verifies decoding of version-1 payloads and that every damaged form is refused. */
class PayloadDecoderTest {

  private static final HandshakeKeys KEYS = HandshakeKeys.generate();
  private static final PayloadDecoder DECODER = new PayloadDecoder(KEYS);

  @Test
  void decodesAPayloadMadeForItsKey() throws Exception {
    JsonObject info = DECODER.decode(TestPayloads.encrypt(TestPayloads.connectionInfo("kid"), KEYS.publicKeyBase64()));
    assertThat(info.getString("kernel_id")).isEqualTo("kid");
    assertThat(info.getInteger("comm_port")).isEqualTo(40006);
  }

  @Test
  void toleratesLineBreaksInTheBase64() throws Exception {
    String wire = new String(TestPayloads.encrypt(TestPayloads.connectionInfo("kid"), KEYS.publicKeyBase64()), StandardCharsets.US_ASCII);
    String wrapped = String.join("\n", wire.split("(?<=\\G.{76})")) + "\n";
    assertThat(DECODER.decode(wrapped.getBytes(StandardCharsets.US_ASCII)).getString("kernel_id")).isEqualTo("kid");
  }

  @Test
  void refusesAPayloadForAnotherKey() {
    byte[] foreign = TestPayloads.encrypt(TestPayloads.connectionInfo("kid"), HandshakeKeys.generate().publicKeyBase64());
    assertThatThrownBy(() -> DECODER.decode(foreign)).isInstanceOf(InvalidPayload.class).hasMessageContaining("decrypt");
  }

  @Test
  void refusesTruncatedGarbageAndWrongVersions() {
    byte[] good = TestPayloads.encrypt(TestPayloads.connectionInfo("kid"), KEYS.publicKeyBase64());
    assertThatThrownBy(() -> DECODER.decode(Arrays.copyOf(good, good.length / 2))).isInstanceOf(InvalidPayload.class);
    assertThatThrownBy(() -> DECODER.decode("%%%% not base64".getBytes(StandardCharsets.US_ASCII))).isInstanceOf(InvalidPayload.class);
    byte[] wrongVersion = Base64.getEncoder().encode("{\"version\": 0, \"key\": \"a\", \"conn_info\": \"b\"}".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> DECODER.decode(wrongVersion)).hasMessageContaining("version");
    byte[] noKernel = TestPayloads.encrypt(new JsonObject().put("shell_port", 1), KEYS.publicKeyBase64());
    assertThatThrownBy(() -> DECODER.decode(noKernel)).hasMessageContaining("kernel_id");
  }

  @Test
  void candidatePortsFollowEgsOrder() {
    assertThat(ResponseListenerVerticle.candidatePorts(8877, 10)).startsWith(8877, 8878, 8879, 8880, 8881).doesNotHaveDuplicates();
    assertThat(ResponseListenerVerticle.candidatePorts(0, 10)).containsExactly(0);
  }
}
