package io.github.kernelgate.launch;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which handshake payload a waiting launch accepts. The gateway's public key is public, so
 * anyone reaching the response port can send a well-formed payload for a starting kernel; only
 * one payload per launch is accepted, and only:
 * <ul>
 *   <li>a payload carrying this launch's one-time secret ({@code launch_secret}), which only the
 *       launched kernel got in its environment (KernelGate's launcher returns it); or</li>
 *   <li>when the runtime may run a launcher that knows no secret (EG's own images), a payload
 *       without one that comes from the address the kernel's container or service actually has.
 *       Until that address is known such payloads are parked, then judged.</li>
 * </ul>
 * A payload with a wrong secret is refused whatever its origin. Touched on one event loop only.
 */
final class LaunchExpectation {

  /** The field of the connection info that carries the secret back. */
  static final String SECRET_FIELD = "launch_secret";
  /** Unsigned payloads kept while the kernel's address is unknown; more are refused. */
  static final int MAX_PARKED = 8;

  /** A payload that arrived and the address it came from. */
  record Candidate(JsonObject info, String peer) {
  }

  /** What to do with a payload. */
  sealed interface Verdict {
    record Accept(JsonObject info) implements Verdict {
    }

    record Refuse(String why) implements Verdict {
    }

    record Park() implements Verdict {
    }
  }

  private final byte[] secret;
  private final boolean acceptsUnsigned;
  private final List<Candidate> parked = new ArrayList<>();
  private String kernelAddress;

  LaunchExpectation(String secret, boolean acceptsUnsigned) {
    this.secret = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
    this.acceptsUnsigned = acceptsUnsigned;
  }

  Verdict judge(JsonObject info, String peer) {
    Object presented = info.getValue(SECRET_FIELD);
    if (presented != null) {
      if (presented instanceof String text && secret.length > 0
          && MessageDigest.isEqual(secret, text.getBytes(StandardCharsets.UTF_8))) {
        return new Verdict.Accept(withoutSecret(info));
      }
      return new Verdict.Refuse("wrong launch secret");
    }
    if (!acceptsUnsigned) {
      return new Verdict.Refuse("no launch secret, and this kernel's launcher always sends one");
    }
    if (kernelAddress == null) {
      if (parked.size() >= MAX_PARKED) {
        return new Verdict.Refuse("too many payloads without a launch secret");
      }
      parked.add(new Candidate(info, peer));
      return new Verdict.Park();
    }
    return fromKernelAddress(info, peer);
  }

  /**
   * The kernel's container or service got its address: the first parked payload that came from
   * it, if any (the others are refused, and logged by the caller).
   */
  Optional<JsonObject> addressKnown(String address, List<String> refusedPeers) {
    kernelAddress = normalize(address);
    JsonObject accepted = null;
    for (Candidate candidate : parked) {
      if (accepted == null && fromKernelAddress(candidate.info(), candidate.peer()) instanceof Verdict.Accept accept) {
        accepted = accept.info();
      } else {
        refusedPeers.add(candidate.peer());
      }
    }
    parked.clear();
    return Optional.ofNullable(accepted);
  }

  private Verdict fromKernelAddress(JsonObject info, String peer) {
    return kernelAddress.equals(normalize(peer)) ? new Verdict.Accept(info)
        : new Verdict.Refuse("no launch secret, and sent from " + peer + " instead of the kernel's address " + kernelAddress);
  }

  private static JsonObject withoutSecret(JsonObject info) {
    JsonObject copy = info.copy();
    copy.remove(SECRET_FIELD);
    return copy;
  }

  /** An IPv4 peer may be reported in its IPv6-mapped form. */
  static String normalize(String address) {
    if (address == null) {
      return "";
    }
    String plain = address.startsWith("/") ? address.substring(1) : address;
    return plain.startsWith("::ffff:") ? plain.substring(7) : plain;
  }
}
