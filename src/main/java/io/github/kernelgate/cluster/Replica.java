package io.github.kernelgate.cluster;

import java.util.UUID;

/**
 * One running replica: its gateway instance (stable across restarts, named by its state
 * directory) and this process's incarnation of it. Kernel ownership names both
 * ({@code instance@incarnation}), so the kernels of a replica that died are told apart from those
 * of the same instance started again: each can be claimed by exactly one new owner.
 */
public record Replica(String instanceId, String incarnation) {

  private static final char SEPARATOR = '@';

  /** This process, as a new incarnation of {@code instanceId}. */
  public static Replica starting(String instanceId) {
    return new Replica(instanceId, UUID.randomUUID().toString().substring(0, 8));
  }

  /** The value ownership records: {@code instance@incarnation}. */
  public String ownerValue() {
    return instanceId + SEPARATOR + incarnation;
  }

  /** The instance part of an owner value (what a replica's door is named by). */
  public static String instanceOf(String ownerValue) {
    int separator = ownerValue.lastIndexOf(SEPARATOR);
    return separator < 0 ? ownerValue : ownerValue.substring(0, separator);
  }
}
