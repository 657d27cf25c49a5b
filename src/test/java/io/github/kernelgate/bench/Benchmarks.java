package io.github.kernelgate.bench;

import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.Http;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What the gateway costs over the physical floor, measured side by side in one run (ratios
 * taken in the same run hold on a noisy machine; absolute times do not). Prints a table and
 * writes target/benchmarks.json. Counts can be lowered with -Dbench.launches, -Dbench.rtt,
 * -Dbench.outputMb, -Dbench.fanoutMb, -Dbench.concurrent.
 */
public final class Benchmarks {

  private static final int LAUNCHES = Integer.getInteger("bench.launches", 10);
  private static final int ROUND_TRIPS = Integer.getInteger("bench.rtt", 1000);
  private static final int OUTPUT_MB = Integer.getInteger("bench.outputMb", 50);
  private static final int FANOUT_MB = Integer.getInteger("bench.fanoutMb", 10);
  private static final int CONCURRENT = Integer.getInteger("bench.concurrent", 20);
  private static final String IMAGE = "kernelgate/kernel-py:dev";

  private final Vertx vertx = Vertx.vertx();
  private final JsonObject results = new JsonObject();
  private final List<String[]> table = new ArrayList<>();
  private final Path work = Path.of("target/bench");
  private GatewayProcess gateway;
  private Http http;

  public static void main(String[] args) throws Exception {
    Benchmarks benchmarks = new Benchmarks();
    try {
      benchmarks.run();
    } finally {
      benchmarks.vertx.close();
    }
    System.exit(0);
  }

  private void run() throws Exception {
    Files.createDirectories(work);
    Map<String, String> env = new HashMap<>(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home"),
        "EG_IP", "127.0.0.1", "EG_UNAUTHORIZED_USERS", "", "KG_LOG_LEVEL", "WARN", "KG_KERNELSPEC_DIRS", "kernelspecs",
        "EG_RESPONSE_IP", DockerCli.bridgeGateway(), "EG_RESPONSE_ADDR_ANY", "true", "EG_RESPONSE_PORT", "0"));
    env.put("EG_DOCKER_NETWORK", "bridge");
    env.put("KG_RUNTIME_DIR", work.resolve("runtime").toAbsolutePath().toString());
    gateway = GatewayProcess.start(env);
    http = gateway.http();
    double idleRss = gateway.rssMib();
    results.put("gateway_rss_idle_mib", idleRss);

    launches("python3", "local", false);
    launches("python_container", "docker", true);
    roundTrips();
    throughput();
    fanOut();
    concurrency(idleRss);
    gateway.close();
    print();
    Files.writeString(Path.of("target/benchmarks.json"), results.encodePrettily());
    System.out.println("\nwritten: target/benchmarks.json");
  }

  // ---------------------------------------------------------------- figure 1: launch

  private void launches(String spec, String label, boolean docker) throws Exception {
    List<Double> viaGateway = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    for (int i = 0; i < LAUNCHES; i++) {
      long start = System.nanoTime();
      String kernelId = http.startKernel(spec, "bench");
      try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), kernelId, false)) {
        client.execute("pass", UUID.randomUUID().toString(), 60_000);
        viaGateway.add(millisSince(start));
      }
      http.delete("/api/kernels/" + kernelId);

      Path dir = work.resolve("floor-" + UUID.randomUUID());
      long floorStart = System.nanoTime();
      FloorKernels.Running kernel = docker ? FloorKernels.dockerIpykernel(dir, IMAGE) : FloorKernels.localIpykernel(dir);
      try (DirectKernel direct = new DirectKernel(kernel.info())) {
        direct.awaitReady(60_000);
        floor.add(millisSince(floorStart));
      } finally {
        kernel.stop().close();
      }
    }
    Stats gatewayStats = Stats.of(viaGateway);
    Stats floorStats = Stats.of(floor);
    results.put("launch_" + label, new JsonObject().put("gateway_ms", gatewayStats.toJson()).put("floor_ms", floorStats.toJson())
        .put("overhead_ms", gatewayStats.median() - floorStats.median()));
    row("launch " + label + " (ms, " + LAUNCHES + " runs)", gatewayStats, floorStats,
        String.format("+%.0f ms", gatewayStats.median() - floorStats.median()));
  }

  // ---------------------------------------------------------------- figure 2: execute round trip

  private void roundTrips() throws Exception {
    String kernelId = http.startKernel("python3", "bench");
    double cpuBefore = gateway.cpuSeconds();
    Stats legacy;
    Stats v1;
    try (GatewayWsClient json = GatewayWsClient.connect(vertx, gateway.port(), kernelId, false);
         GatewayWsClient binary = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true)) {
      legacy = rtt(code -> json.execute(code, UUID.randomUUID().toString(), 30_000));
      v1 = rtt(code -> binary.execute(code, UUID.randomUUID().toString(), 30_000));
    }
    double cpu = gateway.cpuSeconds() - cpuBefore;
    http.delete("/api/kernels/" + kernelId);
    FloorKernels.Running kernel = FloorKernels.localIpykernel(work.resolve("floor-rtt"));
    Stats direct;
    try (DirectKernel client = new DirectKernel(kernel.info())) {
      client.awaitReady(60_000);
      direct = rtt(code -> {
        client.execute(code, 30_000);
        return 0L;
      });
    } finally {
      kernel.stop().close();
    }
    results.put("rtt_ms", new JsonObject().put("legacy", legacy.toJson()).put("v1", v1.toJson()).put("direct", direct.toJson()));
    results.put("gateway_cpu_seconds_for_rtt", cpu);
    row("execute RTT legacy JSON (ms)", legacy, direct, ratio(legacy, direct));
    row("execute RTT v1 (ms)", v1, direct, ratio(v1, direct));
    table.add(new String[] {"gateway CPU for " + 2 * (ROUND_TRIPS + 100) + " executes", String.format("%.2f s", cpu), "", "",
        String.format("%.2f ms/exec", cpu * 1000 / (2 * (ROUND_TRIPS + 100)))});
  }

  private interface Execution {
    long run(String code) throws Exception;
  }

  private static Stats rtt(Execution execution) throws Exception {
    for (int i = 0; i < 100; i++) {
      execution.run("pass");
    }
    List<Double> times = new ArrayList<>();
    for (int i = 0; i < ROUND_TRIPS; i++) {
      long start = System.nanoTime();
      execution.run("pass");
      times.add(millisSince(start));
    }
    return Stats.of(times);
  }

  // ---------------------------------------------------------------- figure 3: output throughput

  private static String printCode(int megabytes) {
    return "import sys\nline = 'x' * 1023\nfor _ in range(" + megabytes * 1024 + "):\n    print(line)\nsys.stdout.flush()";
  }

  private void throughput() throws Exception {
    String kernelId = http.startKernel("python3", "bench");
    double viaGateway;
    try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true)) {
      viaGateway = megabytesPerSecond(code -> client.execute(printCode(OUTPUT_MB), UUID.randomUUID().toString(), 600_000));
    }
    http.delete("/api/kernels/" + kernelId);
    FloorKernels.Running kernel = FloorKernels.localIpykernel(work.resolve("floor-output"));
    double direct;
    try (DirectKernel client = new DirectKernel(kernel.info())) {
      client.awaitReady(60_000);
      direct = megabytesPerSecond(code -> {
        client.execute(printCode(OUTPUT_MB), 600_000);
        return client.streamBytes;
      });
    } finally {
      kernel.stop().close();
    }
    results.put("output_mb_per_s", new JsonObject().put("gateway_v1", viaGateway).put("direct", direct).put("ratio", viaGateway / direct));
    table.add(new String[] {"output " + OUTPUT_MB + " MB in 1 KB lines (MB/s)", String.format("%.1f", viaGateway), "",
        String.format("%.1f", direct), String.format("%.2fx", viaGateway / direct)});
  }

  private static double megabytesPerSecond(Execution execution) throws Exception {
    long start = System.nanoTime();
    long bytes = execution.run(null);
    return bytes / 1e6 / ((System.nanoTime() - start) / 1e9);
  }

  // ---------------------------------------------------------------- figure 4: fan-out

  private void fanOut() throws Exception {
    JsonObject fan = new JsonObject();
    for (int clients : new int[] {1, 10, 100}) {
      String kernelId = http.startKernel("python3", "bench");
      List<GatewayWsClient> watchers = new ArrayList<>();
      try {
        GatewayWsClient runner = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true);
        watchers.add(runner);
        for (int i = 1; i < clients; i++) {
          watchers.add(GatewayWsClient.connect(vertx, gateway.port(), kernelId, true));
        }
        String msgId = UUID.randomUUID().toString();
        List<CompletableFuture<Long>> all = new ArrayList<>();
        for (GatewayWsClient watcher : watchers.subList(1, watchers.size())) {
          all.add(watcher.watch(msgId));
        }
        long start = System.nanoTime();
        long bytes = runner.execute(printCode(FANOUT_MB), msgId, 600_000);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        boolean complete = all.stream().allMatch(future -> future.join() == bytes);
        fan.put(String.valueOf(clients), new JsonObject().put("seconds", seconds).put("every_client_got_everything", complete));
        table.add(new String[] {"fan-out " + FANOUT_MB + " MB to " + clients + " clients (s)", String.format("%.2f", seconds), "", "",
            complete ? "all complete" : "INCOMPLETE"});
      } finally {
        watchers.forEach(GatewayWsClient::close);
        http.delete("/api/kernels/" + kernelId);
      }
    }
    results.put("fanout", fan);
  }

  // ---------------------------------------------------------------- figures 5 and 6: concurrency, footprint

  private void concurrency(double idleRss) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String body = new JsonObject().put("name", "python_container").put("env", new JsonObject().put("KERNEL_USERNAME", "bench")
        .put("KERNEL_LAUNCH_TIMEOUT", "120")).encode();
    long start = System.nanoTime();
    List<CompletableFuture<HttpResponse<String>>> starts = new ArrayList<>();
    for (int i = 0; i < CONCURRENT; i++) {
      starts.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/kernels"))
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    List<String> ids = new ArrayList<>();
    int failures = 0;
    for (CompletableFuture<HttpResponse<String>> started : starts) {
      if (started.join().statusCode() == 201) {
        ids.add(new JsonObject(started.join().body()).getString("id"));
      } else {
        failures++;
      }
    }
    double busyRss = gateway.rssMib();
    ids.forEach(id -> http.delete("/api/kernels/" + id));
    results.put("concurrent_docker_launches", new JsonObject().put("kernels", CONCURRENT).put("seconds", seconds).put("failures", failures));
    results.put("gateway_rss_with_kernels_mib", busyRss);
    table.add(new String[] {CONCURRENT + " docker kernels at once (s)", String.format("%.1f", seconds), "", "", failures + " failed"});
    table.add(new String[] {"gateway RSS idle / with " + CONCURRENT + " kernels (MiB)", String.format("%.0f / %.0f", idleRss, busyRss), "", "", ""});
  }

  // ---------------------------------------------------------------- output

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static String ratio(Stats gateway, Stats floor) {
    return String.format("%.2fx (p99 %.2fx)", gateway.median() / floor.median(), gateway.p99() / floor.p99());
  }

  private void row(String figure, Stats gatewayStats, Stats floorStats, String comparison) {
    table.add(new String[] {figure, String.format("%.1f", gatewayStats.median()), String.format("%.1f", gatewayStats.p99()),
        String.format("%.1f / %.1f", floorStats.median(), floorStats.p99()), comparison});
  }

  private void print() {
    String format = "%-44s %14s %10s %16s %22s%n";
    System.out.printf(format, "figure", "gateway med", "p99", "floor med/p99", "vs floor");
    table.forEach(row -> System.out.printf(format, (Object[]) row));
  }
}
