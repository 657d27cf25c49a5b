package io.github.kernelgate.ops;

import io.github.kernelgate.bus.BusErrors;
import io.github.kernelgate.bus.GatewayException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * The kernels' figures: how many there are by state and spec, launches (count and latency by
 * outcome, failures by cause), restarts, automatic restarts, deaths and culls.
 */
public final class KernelMetrics {

  private final MeterRegistry registry;
  private final MultiGauge kernels;
  private final Counter requestedRestarts;
  private final Counter automaticRestarts;
  private final Counter culls;
  private final Counter deaths;

  KernelMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.kernels = MultiGauge.builder("kernelgate.kernels").description("Kernels this gateway serves, by state and kernel spec")
        .register(registry);
    this.requestedRestarts = restarts("requested");
    this.automaticRestarts = restarts("automatic");
    this.culls = Counter.builder("kernelgate.kernel.culls").description("Idle kernels shut down by the culler").register(registry);
    this.deaths = Counter.builder("kernelgate.kernel.deaths").description("Kernels whose process ended without being asked to")
        .register(registry);
  }

  private Counter restarts(String kind) {
    return Counter.builder("kernelgate.kernel.restarts").description("Kernel restarts, asked for or automatic (after a death)")
        .tag("kind", kind).register(registry);
  }

  /** A kernel's state and spec, as counted by {@link #count}. */
  public record StateAndSpec(String state, String spec) {
  }

  /** Replaces the kernel counts; a combination no longer present disappears. */
  public void count(Map<StateAndSpec, Long> counts) {
    kernels.register(counts.entrySet().stream()
        .map(entry -> MultiGauge.Row.of(Tags.of("state", entry.getKey().state(), "spec", entry.getKey().spec()), entry.getValue()))
        .toList(), true);
  }

  /** A launch (a start or a restart) that ended, well or not, after {@code elapsed}. */
  public void launched(String spec, Duration elapsed, Throwable failure) {
    Timer.builder("kernelgate.kernel.launch").description("Kernel launches, from admission to the first kernel_info reply")
        .tags("spec", spec, "outcome", failure == null ? "started" : "failed").publishPercentileHistogram()
        .register(registry).record(elapsed);
    if (failure != null) {
      Counter.builder("kernelgate.kernel.launch.failures").description("Failed kernel launches by cause")
          .tag("cause", causeOf(failure)).register(registry).increment();
    }
  }

  /** A failure's cause in a few words a dashboard can group by. */
  static String causeOf(Throwable failure) {
    GatewayException known = BusErrors.toException(failure);
    return switch (known.status()) {
      case 504 -> "timeout";
      case 503 -> "unavailable";
      case 410 -> "cancelled";
      case 400, 403, 404, 409 -> "refused";
      default -> known.getMessage() != null && known.getMessage().contains("exited") ? "exited" : "error";
    };
  }

  public void restarted(boolean automatic) {
    (automatic ? automaticRestarts : requestedRestarts).increment();
  }

  public void culled() {
    culls.increment();
  }

  public void died() {
    deaths.increment();
  }

}
