package io.github.kernelgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Verifies signatures against jupyter_client's own Session.sign, the oracle the kernels use. */
class MessageSignerIT {

  @Test
  void signatureMatchesJupyterClient() throws Exception {
    String key = "0b6a2a3e-6f69-4b8e-9b7a-2c1d7d3c9e11";
    String[] parts = {"{\"msg_id\":\"x\",\"msg_type\":\"status\"}", "{}", "{\"a\":\"é\"}", "{\"execution_state\":\"idle\"}"};
    String script = "import sys\nfrom jupyter_client.session import Session\n"
        + "s = Session(key=sys.argv[1].encode())\n"
        + "print(s.sign([p.encode() for p in sys.argv[2:]]).decode())\n";
    Process python = new ProcessBuilder("/usr/bin/python3", "-c", script, key, parts[0], parts[1], parts[2], parts[3])
        .redirectErrorStream(true).start();
    String expected = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(python.waitFor()).as(expected).isZero();

    WireMessage message = new WireMessage(utf8(parts[0]), utf8(parts[1]), utf8(parts[2]), utf8(parts[3]), List.of(new byte[] {7}));
    MessageSigner signer = new MessageSigner(key);
    assertThat(new String(signer.sign(message), StandardCharsets.US_ASCII)).isEqualTo(expected);
    assertThat(signer.verify(utf8(expected), message)).isTrue();
    assertThat(signer.verify(utf8(expected.replace('a', 'b')), message)).isFalse();
  }

  @Test
  void emptyKeyMeansUnsigned() {
    MessageSigner unsigned = new MessageSigner("");
    WireMessage message = new WireMessage(utf8("{}"), utf8("{}"), utf8("{}"), utf8("{}"), List.of());
    assertThat(unsigned.sign(message)).isEmpty();
    assertThat(unsigned.verify(new byte[0], message)).isTrue();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
