package io.github.kernelgate.ops;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.JsonBus;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics} in the Prometheus text format. The kernel counts are asked of the
 * lifecycle at each scrape, so they are exact at that moment; the scrape itself runs on a worker.
 */
public final class MetricsEndpoint implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(MetricsEndpoint.class);
  private static final long COUNT_TIMEOUT_MILLIS = 2_000;
  private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Vertx vertx;
  private final GatewayMetrics metrics;

  public MetricsEndpoint(Vertx vertx, GatewayMetrics metrics) {
    this.vertx = vertx;
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    JsonBus.request(vertx, Addresses.KERNEL_COUNT, new JsonObject(), COUNT_TIMEOUT_MILLIS)
        .onSuccess(answer -> metrics.kernels().count(countsOf(answer)))
        .onFailure(failure -> LOG.warn("kernel counts not refreshed for this scrape: {}", failure.getMessage()))
        .transform(counted -> vertx.executeBlocking(metrics::scrape, false))
        .onSuccess(text -> ctx.response().putHeader("Content-Type", CONTENT_TYPE).end(text))
        .onFailure(ctx::fail);
  }

  private static Map<KernelMetrics.StateAndSpec, Long> countsOf(JsonObject answer) {
    Map<KernelMetrics.StateAndSpec, Long> counts = new HashMap<>();
    answer.getJsonArray("counts").stream().map(JsonObject.class::cast).forEach(row ->
        counts.put(new KernelMetrics.StateAndSpec(row.getString("state"), row.getString("spec")), row.getLong("count")));
    return counts;
  }
}
