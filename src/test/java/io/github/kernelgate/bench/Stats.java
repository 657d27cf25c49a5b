package io.github.kernelgate.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Order statistics of one series of measurements, in milliseconds (or any unit). */
record Stats(int count, double median, double p99, double min, double max) {

  static Stats of(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Stats(sorted.size(), percentile(sorted, 50), percentile(sorted, 99), sorted.get(0), sorted.get(sorted.size() - 1));
  }

  private static double percentile(List<Double> sorted, double percent) {
    int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  JsonObject toJson() {
    return new JsonObject().put("count", count).put("median", median).put("p99", p99).put("min", min).put("max", max);
  }
}
