package io.github.kernelgate.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** Docker API calls: latency by operation and outcome (the errors are the calls with outcome=error). */
public final class DockerMetrics {

  private final MeterRegistry registry;

  DockerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void called(String operation, Duration elapsed, boolean failed) {
    Timer.builder("kernelgate.docker.api").description("Docker API calls of the gateway, by operation and outcome")
        .tags("operation", operation, "outcome", failed ? "error" : "ok").publishPercentileHistogram().register(registry).record(elapsed);
  }
}
