package io.github.kernelgate.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * One gateway's Prometheus registry, scraped at {@code /metrics}: the gateway's own figures
 * ({@code kernelgate_*}, grouped by subject below) and, when the Vert.x instance was built with
 * {@link #instrument}, Vert.x's (HTTP, worker pools) and the JVM's under their usual
 * names. No meter carries a kernel id: one label value per kernel would grow without bound.
 */
public final class GatewayMetrics {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final KernelMetrics kernels = new KernelMetrics(registry);
  private final ClientMetrics clients = new ClientMetrics(registry);
  private final MessageMetrics messages = new MessageMetrics(registry);
  private final DockerMetrics docker = new DockerMetrics(registry);

  /**
   * Builds a Vert.x instance that reports into this registry, JVM figures included. Not the event
   * bus's: Vert.x's Micrometer metrics register their meters again for every message delivered
   * (a lookup, and a warning logged at debug level, per message), which was 16% of the ZMQ
   * thread's time in the round-trip profile; kernel messages are counted by
   * {@link MessageMetrics} instead.
   */
  public VertxBuilder instrument(VertxBuilder builder, VertxOptions options) {
    MicrometerMetricsOptions metrics = new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true)
        .addDisabledMetricsCategory(MetricsDomain.EVENT_BUS);
    return builder.with(options.setMetricsOptions(metrics)).withMetrics(new MicrometerMetricsFactory(registry));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public KernelMetrics kernels() {
    return kernels;
  }

  public ClientMetrics clients() {
    return clients;
  }

  public MessageMetrics messages() {
    return messages;
  }

  public DockerMetrics docker() {
    return docker;
  }

  /** Everything, in the Prometheus text format. */
  public String scrape() {
    return registry.scrape();
  }
}
