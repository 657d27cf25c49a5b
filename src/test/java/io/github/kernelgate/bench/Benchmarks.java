package io.github.kernelgate.bench;

import io.github.kernelgate.plugin.ConnectionInfo;
import io.github.kernelgate.testsupport.DockerCli;
import io.github.kernelgate.testsupport.GatewayProcess;
import io.github.kernelgate.testsupport.Http;
import io.github.kernelgate.testsupport.PrometheusText;
import io.github.kernelgate.testsupport.StalledClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.Set;
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
  /** Uncounted rounds first: the CPU per execute is the steady gateway's, not its JIT warm-up (200 left it at 2.5 ms). */
  private static final int RTT_WARMUP = Integer.getInteger("bench.rttWarmup", 1000);
  /** The kernelspec behind the gateway in the rtt figure; "tiny" tells the gateway's cost from ipykernel's messages. */
  private static final String RTT_KERNEL = System.getProperty("bench.rttKernel", "python3");
  private static final int OUTPUT_MB = Integer.getInteger("bench.outputMb", 50);
  private static final int OUTPUT_ROUNDS = Integer.getInteger("bench.outputRounds", 5);
  private static final int FANOUT_MB = Integer.getInteger("bench.fanoutMb", 10);
  private static final int CONCURRENT = Integer.getInteger("bench.concurrent", 20);
  private static final int SLOW_CLIENT_MB = Integer.getInteger("bench.slowClientMb", 320);
  private static final int REPLAY_MB = Integer.getInteger("bench.replayMb", 20);
  private static final int TAKEOVER_KERNELS = Integer.getInteger("bench.takeoverKernels", 20);
  private static final int SETTLE_SECONDS = Integer.getInteger("bench.settleSeconds", 60);
  /** How long the just-started gateway is left alone before its idle RSS is read (the JVM trims its native heap every 10 s). */
  private static final int IDLE_SECONDS = Integer.getInteger("bench.idleSeconds", 15);
  private static final String IMAGE = "kernelgate/kernel-py:dev";
  /** Comma list of figures to run (launch,rtt,output,fanout,concurrency); default all. */
  private static final int FAILOVERS = Integer.getInteger("bench.failovers", 5);
  private static final List<String> ONLY = List.of(System.getProperty("bench.only",
      "launch,rtt,output,fanout,concurrency,slowclient,replay,takeover,cluster,scale").split(","));
  /** Kernel counts of the scale figure, each with two WebSocket clients per kernel. */
  private static final List<Integer> SCALE_KERNELS = java.util.Arrays.stream(System.getProperty("bench.scaleKernels", "1,100,500").split(","))
      .map(Integer::valueOf).toList();
  private static final int SCALE_EXECUTES = Integer.getInteger("bench.scaleExecutes", 500);

  private final Vertx vertx = Vertx.vertx();
  private final JsonObject results = new JsonObject();
  private final List<String[]> table = new ArrayList<>();
  private final Path work = Path.of("target/bench");
  private GatewayProcess gateway;
  private Map<String, String> gatewayEnv;
  private Http http;

  public static void main(String[] args) throws Exception {
    // A Java client reading a 50 MB output as legacy JSON holds a string longer than Jackson's default limit (20 MB).
    System.setProperty("vertx.jackson.defaultReadMaxStringLength", String.valueOf(Integer.MAX_VALUE));
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
        "EG_IP", "127.0.0.1", "EG_UNAUTHORIZED_USERS", "", "KG_LOG_LEVEL", System.getProperty("bench.gatewayLogLevel", "WARN"),
        // The tiny protocol kernel of the scale figure is a test kernelspec.
        "KG_KERNELSPEC_DIRS", "kernelspecs,src/test/resources/kernelspecs",
        "EG_RESPONSE_IP", DockerCli.bridgeGateway(), "EG_RESPONSE_ADDR_ANY", "true", "EG_RESPONSE_PORT", "0"));
    env.put("EG_DOCKER_NETWORK", "bridge");
    // -Dbench.gatewayJvm="-XX:StartFlightRecording=..." profiles the gateway process.
    env.put("JAVA_TOOL_OPTIONS", System.getProperty("bench.gatewayJvm", ""));
    env.put("KG_RUNTIME_DIR", work.resolve("runtime").toAbsolutePath().toString());
    // -Dbench.env.KG_WS_FRAME_BYTES=1048576 (any -Dbench.env.NAME=value) sets a gateway setting for the run.
    System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.env."))
        .forEach(name -> env.put(name.substring("bench.env.".length()), System.getProperty(name)));
    gatewayEnv = env;
    gateway = GatewayProcess.start(env);
    http = gateway.http();
    double startRss = gateway.rssMib();
    double idleRss = idleRss();
    results.put("gateway_rss_start_mib", startRss);
    results.put("gateway_rss_idle_mib", idleRss);
    table.add(new String[] {"gateway RSS at start / idle " + IDLE_SECONDS + " s later (MiB)",
        String.format("%.0f / %.0f", startRss, idleRss), "", "", ""});

    if (ONLY.contains("launch")) {
      launches("python3", "local", false);
      launches("python_container", "docker", true);
    }
    // Footprint before the output-heavy figures: their garbage would otherwise show up as RSS.
    if (ONLY.contains("concurrency")) {
      concurrency(idleRss);
    }
    if (ONLY.contains("rtt")) {
      roundTrips();
    }
    if (ONLY.contains("output")) {
      throughput();
    }
    if (ONLY.contains("fanout")) {
      fanOut();
    }
    if (ONLY.contains("slowclient")) {
      slowClient();
    }
    if (ONLY.contains("replay")) {
      replay();
    }
    if (ONLY.contains("takeover")) {
      takeover();
    }
    if (ONLY.contains("scale")) {
      scale();
    }
    gateway.close();
    if (ONLY.contains("cluster")) {
      cluster();
    }
    print();
    Files.writeString(Path.of("target/benchmarks.json"), results.encodePrettily());
    System.out.println("\nwritten: target/benchmarks.json");
  }

  // ---------------------------------------------------------------- figure 1: launch

  /**
   * Alternating launches through the gateway and of a bare kernel, each timed until kernel_info
   * is answered. One uncounted pair first: it loads the gateway's launch path and warms the caches.
   */
  private void launches(String spec, String label, boolean docker) throws Exception {
    List<Double> viaGateway = new ArrayList<>();
    List<Double> floor = new ArrayList<>();
    for (int i = -1; i < LAUNCHES; i++) {
      double gatewayMillis = launchThroughGateway(spec);
      double floorMillis = launchBare(docker);
      if (i >= 0) {
        viaGateway.add(gatewayMillis);
        floor.add(floorMillis);
      }
    }
    Stats gatewayStats = Stats.of(viaGateway);
    Stats floorStats = Stats.of(floor);
    results.put("launch_" + label, new JsonObject().put("gateway_ms", gatewayStats.toJson()).put("floor_ms", floorStats.toJson())
        .put("overhead_ms", gatewayStats.median() - floorStats.median()));
    row("launch " + label + " (ms, " + LAUNCHES + " runs)", gatewayStats, floorStats,
        String.format("%+.0f ms", gatewayStats.median() - floorStats.median()));
  }

  private double launchThroughGateway(String spec) throws Exception {
    long start = System.nanoTime();
    String kernelId = http.startKernel(spec, "bench");
    try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), kernelId, false)) {
      client.kernelInfo(UUID.randomUUID().toString(), 60_000);
      return millisSince(start);
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
  }

  private double launchBare(boolean docker) throws Exception {
    Path dir = work.resolve("floor-" + UUID.randomUUID());
    long start = System.nanoTime();
    FloorKernels.Running kernel = docker ? FloorKernels.dockerIpykernel(dir, IMAGE) : FloorKernels.localIpykernel(dir);
    try (DirectKernel direct = new DirectKernel(kernel.info())) {
      direct.awaitReady(60_000);
      return millisSince(start);
    } finally {
      kernel.stop().close();
    }
  }

  // ---------------------------------------------------------------- figure 2: execute round trip

  /**
   * The three clients (legacy JSON and v1 through the gateway, direct ZMQ to a bare kernel) run
   * interleaved, one execute each per turn, so drift of the machine and the JIT hits all three alike.
   */
  private void roundTrips() throws Exception {
    String kernelId = http.startKernel(RTT_KERNEL, "bench");
    FloorKernels.Running kernel = FloorKernels.localIpykernel(work.resolve("floor-rtt"));
    List<Double> legacyTimes = new ArrayList<>();
    List<Double> v1Times = new ArrayList<>();
    List<Double> directTimes = new ArrayList<>();
    double cpu;
    double work;
    double floorCpu;
    double floorIoThreadCpu;
    double protocolCpu;
    Set<Long> threadsBefore = ThreadCpu.liveThreads();
    try (GatewayWsClient json = GatewayWsClient.connect(vertx, gateway.port(), kernelId, false);
         GatewayWsClient binary = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true);
         DirectKernel direct = new DirectKernel(kernel.info())) {
      direct.awaitReady(60_000);
      Execution legacy = code -> json.execute(code, UUID.randomUUID().toString(), 30_000);
      Execution v1 = code -> binary.execute(code, UUID.randomUUID().toString(), 30_000);
      Execution floor = code -> {
        direct.execute(code, 30_000);
        return 0L;
      };
      for (int i = 0; i < RTT_WARMUP; i++) {
        legacy.run("pass");
        v1.run("pass");
        floor.run("pass");
      }
      double cpuBefore = gateway.cpuSeconds();
      double workBefore = gateway.cpuSecondsWithoutJit();
      for (int i = 0; i < ROUND_TRIPS; i++) {
        legacyTimes.add(timed(legacy));
        v1Times.add(timed(v1));
        directTimes.add(timed(floor));
      }
      cpu = gateway.cpuSeconds() - cpuBefore;
      work = gateway.cpuSecondsWithoutJit() - workBefore;
      // The floor of the CPU figure: the same executes by a bare JeroMQ client (this thread and its
      // context's I/O thread), which is what any bridge built on JeroMQ spends before it adds WebSockets.
      ThreadCpu directCpu = ThreadCpu.startedSince(threadsBefore, "iothread");
      if (directCpu.threads() != 1) {
        throw new IllegalStateException("expected the direct client's one JeroMQ I/O thread, found " + directCpu.threads());
      }
      double directBefore = directCpu.seconds();
      double ioThreadBefore = directCpu.startedThreadsSeconds();
      for (int i = 0; i < ROUND_TRIPS; i++) {
        floor.run("pass");
      }
      floorCpu = directCpu.seconds() - directBefore;
      floorIoThreadCpu = directCpu.startedThreadsSeconds() - ioThreadBefore;
      protocolCpu = protocolWorkSeconds(kernel.info());
    } finally {
      kernel.stop().close();
      http.delete("/api/kernels/" + kernelId);
    }
    Stats legacy = Stats.of(legacyTimes);
    Stats v1 = Stats.of(v1Times);
    Stats direct = Stats.of(directTimes);
    double cpuPerExecute = cpu * 1000 / (2.0 * ROUND_TRIPS);
    double workPerExecute = work * 1000 / (2.0 * ROUND_TRIPS);
    results.put("rtt_ms", new JsonObject().put("legacy", legacy.toJson()).put("v1", v1.toJson()).put("direct", direct.toJson()));
    results.put("gateway_cpu_seconds_during_rtt", cpu).put("gateway_cpu_ms_per_execute", cpuPerExecute)
        .put("gateway_cpu_ms_per_execute_without_jit", workPerExecute);
    row("execute RTT legacy JSON (ms, " + ROUND_TRIPS + ")", legacy, direct, ratio(legacy, direct));
    row("execute RTT v1 (ms, " + ROUND_TRIPS + ")", v1, direct, ratio(v1, direct));
    double floorPerExecute = floorCpu * 1000 / ROUND_TRIPS;
    double floorIoThreadPerExecute = floorIoThreadCpu * 1000 / ROUND_TRIPS;
    results.put("jeromq_client_cpu_ms_per_execute", floorPerExecute).put("jeromq_io_thread_cpu_ms_per_execute", floorIoThreadPerExecute);
    table.add(new String[] {"gateway CPU per execute, all / without JIT (ms)", String.format("%.2f / %.2f", cpuPerExecute, workPerExecute),
        "", String.format("%.2f (I/O %.2f)", floorPerExecute, floorIoThreadPerExecute),
        String.format("%.2fx a JeroMQ client; %.1f s in all", workPerExecute / floorPerExecute, cpu)});
    double protocolPerExecute = protocolCpu * 1000 / ROUND_TRIPS;
    results.put("zmtp_protocol_cpu_ms_per_execute", protocolPerExecute);
    table.add(new String[] {"  the same executes' ZMTP work, no JeroMQ (ms)", String.format("%.2f", protocolPerExecute), "", "",
        "one thread, blocking sockets"});
  }

  /**
   * CPU seconds of {@link #ROUND_TRIPS} executes by {@link RawZmtpKernel} (after as many uncounted):
   * the protocol's own cost, against which the JeroMQ client's shows what the library adds.
   */
  private static double protocolWorkSeconds(ConnectionInfo info) throws Exception {
    try (RawZmtpKernel raw = new RawZmtpKernel(info)) {
      raw.awaitReady(60_000);
      for (int i = 0; i < RTT_WARMUP; i++) {
        raw.execute("pass");
      }
      ThreadCpu thread = ThreadCpu.callerOnly();
      double before = thread.seconds();
      for (int i = 0; i < ROUND_TRIPS; i++) {
        raw.execute("pass");
      }
      return thread.seconds() - before;
    }
  }

  private interface Execution {
    long run(String code) throws Exception;
  }

  private static double timed(Execution execution) throws Exception {
    long start = System.nanoTime();
    execution.run("pass");
    return millisSince(start);
  }

  // ---------------------------------------------------------------- figure 3: output throughput

  private static String printCode(int megabytes) {
    return "import sys\nline = 'x' * 1023\nfor _ in range(" + megabytes * 1024 + "):\n    print(line)\nsys.stdout.flush()";
  }

  /** One kind of client reading the output figure's cell: answers the MB/s of one round. */
  private interface OutputClient {
    double round() throws Exception;
  }

  /**
   * Rounds alternate over every client kind and the bare kernel read straight over ZMQ, so each
   * kind's median is compared with the floor measured in the same stretch of the run (one round is
   * noisy). The gateway's peak RSS is taken over all of them.
   */
  private void throughput() throws Exception {
    String kernelId = http.startKernel("python3", "bench");
    FloorKernels.Running kernel = FloorKernels.localIpykernel(work.resolve("floor-output"));
    Path codeFile = work.resolve("output-cell.py");
    Files.writeString(codeFile, printCode(OUTPUT_MB));
    Map<String, OutputClient> clients = new java.util.LinkedHashMap<>();
    Map<String, List<Double>> rates = new java.util.LinkedHashMap<>();
    List<Double> direct = new ArrayList<>();
    // The Java legacy client decodes each whole message (that framing gives no other way to read it): its floor
    // is the same ZMQ client decoding the stream content it reads, as any client that shows the text does.
    List<Double> directDecoding = new ArrayList<>();
    List<Double> pythonDirect = new ArrayList<>();
    try (DirectKernel floor = new DirectKernel(kernel.info())) {
      floor.awaitReady(60_000);
      // Every client kind connects for its round only, as the Python ones do: an idle client of another framing would
      // have the gateway frame each message for it too.
      clients.put("Java v1", () -> javaClientRound(kernelId, true));
      clients.put("Java legacy JSON", () -> javaClientRound(kernelId, false));
      // websocket-client as installed checks each text message's UTF-8 in pure Python (about 4 MB/s here); also shown without.
      for (String client : List.of("websocket-client legacy", "websocket-client-unchecked legacy", "websocket-client v1", "tornado legacy",
          "tornado v1")) {
        String library = client.split(" ")[0];
        String framing = client.split(" ")[1];
        clients.put("Python " + library + " " + (framing.equals("v1") ? "v1" : "legacy JSON"), () -> pythonClientRound(kernelId, library, framing, codeFile));
      }
      // -Dbench.outputClients="Java v1,tornado" keeps the client kinds whose label contains one of these.
      List<String> kept = List.of(System.getProperty("bench.outputClients", "").split(","));
      clients.keySet().removeIf(label -> kept.stream().noneMatch(label::contains));
      clients.keySet().forEach(label -> rates.put(label, new ArrayList<>()));
      Path connectionFile = work.resolve("floor-output/kernel.json");
      gateway.resetPeakRss();
      for (int round = 0; round < OUTPUT_ROUNDS; round++) {
        for (Map.Entry<String, OutputClient> client : clients.entrySet()) {
          double cpuBefore = gateway.cpuSecondsWithoutJit();
          double heldBefore = largeMessagesHeldSeconds();
          rates.get(client.getKey()).add(client.getValue().round());
          gatewayCpuPerMb.computeIfAbsent(client.getKey(), label -> new ArrayList<>())
              .add((gateway.cpuSecondsWithoutJit() - cpuBefore) * 1000 / (OUTPUT_MB * 1.048576));
          holdMillisPerRound.computeIfAbsent(client.getKey(), label -> new ArrayList<>())
              .add((largeMessagesHeldSeconds() - heldBefore) * 1000);
        }
        direct.add(megabytesPerSecond(code -> {
          floor.execute(printCode(OUTPUT_MB), 600_000);
          return floor.streamBytes;
        }));
        if (rates.containsKey("Java legacy JSON")) {
          floor.decodeContent = true;
          directDecoding.add(megabytesPerSecond(code -> {
            floor.execute(printCode(OUTPUT_MB), 600_000);
            return floor.streamBytes;
          }));
          floor.decodeContent = false;
        }
        pythonDirect.add(pythonClientRound(connectionFile.toString(), "-", "jupyter_client", "-", codeFile));
      }
    } finally {
      kernel.stop().close();
      http.delete("/api/kernels/" + kernelId);
    }
    // Each client kind against the floor in its own language: Java over ZMQ, or jupyter_client over ZMQ.
    double javaFloor = Stats.of(direct).median();
    double pythonFloor = Stats.of(pythonDirect).median();
    double javaDecodingFloor = directDecoding.isEmpty() ? javaFloor : Stats.of(directDecoding).median();
    JsonObject figures = new JsonObject().put("direct_java", javaFloor).put("direct_python_jupyter_client", pythonFloor)
        .put("direct_java_decoding_content", javaDecodingFloor);
    rates.forEach((label, values) -> {
      double rate = Stats.of(values).median();
      List<Double> floorRounds = label.startsWith("Python") ? pythonDirect
          : label.equals("Java legacy JSON") && !directDecoding.isEmpty() ? directDecoding : direct;
      double floorRate = Stats.of(floorRounds).median();
      // The machine's speed drifts over a run (floors moved 27-51 MB/s within an hour): each round is compared with the
      // floor measured in that same round, and the median of those ratios is the figure, their range its noise.
      List<Double> roundRatios = new ArrayList<>();
      for (int round = 0; round < values.size(); round++) {
        roundRatios.add(values.get(round) / floorRounds.get(round));
      }
      Stats ratios = Stats.of(roundRatios);
      double cpuPerMb = Stats.of(gatewayCpuPerMb.get(label)).median();
      double holdMillis = Stats.of(holdMillisPerRound.get(label)).median();
      double roundMillis = outputRoundMillis(rate);
      figures.put(label, new JsonObject().put("mb_per_s", rate).put("ratio", ratios.median()).put("round_ratios", new JsonArray(roundRatios))
          .put("gateway_cpu_ms_per_mb", cpuPerMb).put("gateway_hold_ms_per_round", holdMillis));
      table.add(new String[] {"output " + OUTPUT_MB + " MB, " + label + " (MB/s, median of " + OUTPUT_ROUNDS + ")",
          String.format("%.1f", rate), "", String.format("%.1f", floorRate),
          String.format("%.2fx (rounds %.2f-%.2f); gateway CPU %.1f ms/MB; held %.0f of %.0f ms", ratios.median(), ratios.min(),
              ratios.max(), cpuPerMb, holdMillis, roundMillis)});
    });
    if (!javaLegacyDecodeMillis.isEmpty()) {
      // The Java legacy client's own JSON decoding: its floor is the ZMQ client decoding the content too (see directDecoding).
      double decode = Stats.of(javaLegacyDecodeMillis).median();
      double round = outputRoundMillis(Stats.of(rates.get("Java legacy JSON")).median());
      figures.put("java_legacy_client_decode_ms", decode);
      table.add(new String[] {"output " + OUTPUT_MB + " MB, Java legacy JSON: client's JSON decoding (ms)", String.format("%.0f", decode), "", "",
          String.format("of %.0f ms per round (its floor decodes the content too)", round)});
    }
    double peak = gateway.peakRssMib();
    results.put("output_mb_per_s", figures).put("gateway_rss_output_peak_mib", peak);
    table.add(new String[] {"gateway RSS peak during the output figure (MiB)", String.format("%.0f", peak), "", "", ""});
  }

  /**
   * Per client kind and round: the gateway's CPU (all threads, JIT excluded) per MB of output: on
   * two cores the kernel and the client each want one, so every millisecond the gateway spends
   * per MB is taken from them.
   */
  private final Map<String, List<Double>> gatewayCpuPerMb = new java.util.HashMap<>();

  /**
   * Per client kind and round: how long the gateway held the output's large messages, from their first
   * byte in to their write to the client (kernelgate_message_hold_seconds): what forwarding a message
   * before it is whole could at most take off a round.
   */
  private final Map<String, List<Double>> holdMillisPerRound = new java.util.HashMap<>();

  /** How long a round of the output figure takes at {@code megabytesPerSecond} (MB of 10^6 bytes, as the rates are). */
  private static double outputRoundMillis(double megabytesPerSecond) {
    return OUTPUT_MB * 1.048576 / megabytesPerSecond * 1000;
  }

  private double largeMessagesHeldSeconds() {
    return new PrometheusText(http.get("/metrics").body())
        .sum("kernelgate_message_hold_seconds_sum", "size", "large");
  }

  /** Per round of the Java legacy client: milliseconds it spent decoding JSON (its own cost, not the gateway's). */
  private final List<Double> javaLegacyDecodeMillis = new ArrayList<>();

  /** One round of the cell read by a Java client connected for it (the connection is not timed). */
  private double javaClientRound(String kernelId, boolean v1) throws Exception {
    try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), kernelId, v1)) {
      double rate = megabytesPerSecond(code -> client.execute(printCode(OUTPUT_MB), UUID.randomUUID().toString(), 600_000));
      if (!v1) {
        javaLegacyDecodeMillis.add(client.legacyDecodeNanos.get() / 1e6);
      }
      return rate;
    }
  }

  /** One round of the cell read by a Python client process (its start-up and connection are not timed). */
  private double pythonClientRound(String kernelId, String library, String framing, Path codeFile) throws Exception {
    return pythonClientRound(String.valueOf(gateway.port()), kernelId, library, framing, codeFile);
  }

  /** {@code target} is the gateway's port, or for jupyter_client the bare kernel's connection file. */
  private static double pythonClientRound(String target, String kernelId, String library, String framing, Path codeFile) throws Exception {
    Path script = Path.of("src/test/resources/bench/output_client.py");
    Process python = new ProcessBuilder("/usr/bin/python3", script.toString(), target, kernelId, library, framing,
        codeFile.toString(), "1").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(python.getInputStream().readAllBytes()).strip();
    if (python.waitFor() != 0) {
      throw new IllegalStateException("the " + library + " client failed: " + output);
    }
    JsonObject round = new JsonObject(output).getJsonArray("rounds").getJsonObject(0);
    return round.getLong("bytes") / 1e6 / round.getDouble("seconds");
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
        // What a fan-out costs in memory is part of the figure.
        gateway.resetPeakRss();
        long start = System.nanoTime();
        long bytes = runner.execute(printCode(FANOUT_MB), msgId, 600_000);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        double peakRss = gateway.peakRssMib();
        boolean complete = all.stream().allMatch(future -> future.join() == bytes);
        fan.put(String.valueOf(clients), new JsonObject().put("seconds", seconds).put("every_client_got_everything", complete)
            .put("gateway_rss_peak_mib", peakRss));
        table.add(new String[] {"fan-out " + FANOUT_MB + " MB to " + clients + " clients (s)", String.format("%.2f", seconds), "", "",
            (complete ? "all complete" : "INCOMPLETE") + String.format("; gateway RSS peak %.0f MiB", peakRss)});
      } finally {
        watchers.forEach(GatewayWsClient::close);
        http.delete("/api/kernels/" + kernelId);
      }
    }
    // The frames shared by several clients live in direct memory the collector frees: what stays once the gateway is quiet.
    double after = gateway.rssMib();
    Thread.sleep(IDLE_SECONDS * 1_000L);
    double quiet = gateway.rssMib();
    fan.put("gateway_rss_after_mib", after).put("gateway_rss_quiet_mib", quiet);
    table.add(new String[] {"gateway RSS after the fan-outs / " + IDLE_SECONDS + " s later (MiB)", String.format("%.0f / %.0f", after, quiet),
        "", "", ""});
    results.put("fanout", fan);
  }

  // ---------------------------------------------------------------- figure 8: replay to a returning session

  /**
   * The cost of replay: a client sends a cell printing {@code REPLAY_MB} and leaves at once; when
   * the cell is done (another client sees its idle), the client comes back under its session id
   * and is timed from its connect until the replayed reply and idle. Medians of three rounds; the
   * live figure is what the other client received as the kernel printed (bound by the kernel).
   */
  private void replay() throws Exception {
    String kernelId = http.startKernel("python3", "bench");
    List<Double> replayed = new ArrayList<>();
    List<Double> live = new ArrayList<>();
    boolean complete = true;
    try (GatewayWsClient observer = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true)) {
      for (int round = 0; round < 3; round++) {
        String session = UUID.randomUUID().toString();
        String msgId = UUID.randomUUID().toString();
        CompletableFuture<Long> seenLive = observer.watch(msgId);
        GatewayWsClient leaving = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true, session, null);
        long printing = System.nanoTime();
        leaving.executeAndLeave(printCode(REPLAY_MB), msgId);
        leaving.close();
        long liveBytes = seenLive.get(600, TimeUnit.SECONDS);
        live.add(liveBytes / 1e6 / ((System.nanoTime() - printing) / 1e9));
        long start = System.nanoTime();
        try (GatewayWsClient back = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true, session, msgId)) {
          long bytes = back.awaited(msgId, 600_000);
          replayed.add(bytes / 1e6 / ((System.nanoTime() - start) / 1e9));
          complete &= bytes == liveBytes;
        }
      }
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
    double replayRate = Stats.of(replayed).median();
    double liveRate = Stats.of(live).median();
    results.put("replay_mb_per_s", new JsonObject().put("replayed", replayRate).put("live", liveRate).put("complete", complete));
    table.add(new String[] {"replay " + REPLAY_MB + " MB to a returning session (MB/s, median of 3)", String.format("%.1f", replayRate), "",
        String.format("%.1f live", liveRate), complete ? String.format("%.0f ms for all", REPLAY_MB / replayRate * 1000) : "INCOMPLETE"});
  }

  // ---------------------------------------------------------------- figure 9: taking kernels over after a crash

  /**
   * {@code TAKEOVER_KERNELS} container kernels, the gateway killed with SIGKILL, a new one started
   * with the same settings: the time until its API answers, with every kernel taken over and
   * listed. The floor is the same gateway's start with nothing to take over.
   */
  private void takeover() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < TAKEOVER_KERNELS; i++) {
      ids.add(http.startKernel("python_container", "bench"));
    }
    try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), ids.get(0), true)) {
      client.execute("kept = 42", UUID.randomUUID().toString(), 60_000);
    }
    gateway.kill();
    long start = System.nanoTime();
    gateway = GatewayProcess.start(gatewayEnv, new java.io.File("target/bench-gateway-takeover.log"));
    double takeoverSeconds = (System.nanoTime() - start) / 1e9;
    http = gateway.http();
    long listed = http.get("/api/kernels").jsonArray().stream().map(kernel -> ((JsonObject) kernel).getString("id"))
        .filter(ids::contains).count();
    long kept;
    try (GatewayWsClient client = GatewayWsClient.connect(vertx, gateway.port(), ids.get(0), true)) {
      // Stream bytes are counted as the message's content: 42,000 characters, if the variable survived.
      kept = client.execute("print('y' * (kept * 1000))", UUID.randomUUID().toString(), 60_000);
    }
    ids.forEach(id -> http.delete("/api/kernels/" + id));
    gateway.close();
    start = System.nanoTime();
    gateway = GatewayProcess.start(gatewayEnv, new java.io.File("target/bench-gateway-empty.log"));
    double emptySeconds = (System.nanoTime() - start) / 1e9;
    http = gateway.http();
    results.put("takeover", new JsonObject().put("kernels", TAKEOVER_KERNELS).put("seconds", takeoverSeconds)
        .put("empty_start_seconds", emptySeconds).put("listed", listed).put("variables_kept", keptVariables(kept)));
    table.add(new String[] {"start after SIGKILL, taking over " + TAKEOVER_KERNELS + " container kernels (s)",
        String.format("%.2f", takeoverSeconds), "", String.format("%.2f empty", emptySeconds),
        String.format("%d/%d listed%s", listed, TAKEOVER_KERNELS, keptVariables(kept) ? ", variables kept" : ", VARIABLES LOST")});
  }

  private static boolean keptVariables(long streamBytes) {
    return streamBytes >= 42_000 && streamBytes < 42_200;
  }

  // ---------------------------------------------------------------- figure 7: memory after a slow client

  /**
   * One client stops reading while another reads a large output: the gateway closes the slow one
   * (1008) and should give the memory back. RSS before, at the peak (sampled every 200 ms), and
   * the lowest of the settling period after the output.
   */
  private void slowClient() throws Exception {
    String kernelId = http.startKernel("python3", "bench");
    double before = gateway.rssMib();
    double peak = before;
    boolean slowClosed;
    long bytes;
    try (GatewayWsClient reader = GatewayWsClient.connect(vertx, gateway.port(), kernelId, true);
         StalledClient slow = StalledClient.connect(gateway.port(), kernelId)) {
      CompletableFuture<Long> output = CompletableFuture.supplyAsync(() -> {
        try {
          return reader.execute(printCode(SLOW_CLIENT_MB), UUID.randomUUID().toString(), 900_000);
        } catch (Exception failed) {
          throw new IllegalStateException(failed);
        }
      });
      while (!output.isDone()) {
        peak = Math.max(peak, gateway.rssMib());
        Thread.sleep(200);
      }
      bytes = output.get();
      slowClosed = slow.wasClosedByGateway();
    } finally {
      http.delete("/api/kernels/" + kernelId);
    }
    double settled = Double.MAX_VALUE;
    for (int second = 0; second < SETTLE_SECONDS; second++) {
      Thread.sleep(1_000);
      settled = Math.min(settled, gateway.rssMib());
    }
    results.put("slow_client_rss_mib", new JsonObject().put("before", before).put("peak", peak).put("settled", settled)
        .put("output_mb", bytes / 1e6).put("slow_client_closed", slowClosed));
    table.add(new String[] {"RSS before / peak / " + SETTLE_SECONDS + " s after, slow client + " + SLOW_CLIENT_MB + " MB (MiB)",
        String.format("%.0f / %.0f / %.0f", before, peak, settled), "", "",
        slowClosed ? "slow client closed" : "slow client NOT closed"});
  }

  // ---------------------------------------------------------------- figures 5 and 6: concurrency, footprint

  /** The gateway's RSS once it has been left alone for {@link #IDLE_SECONDS} after start: what a waiting gateway holds. */
  private double idleRss() throws Exception {
    Thread.sleep(IDLE_SECONDS * 1_000L);
    return gateway.rssMib();
  }

  private void concurrency(double idleRss) throws Exception {
    HttpClient client = bulkClient();
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
        System.err.println("concurrent launch failed: " + started.join().statusCode() + " " + started.join().body());
      }
    }
    double busyRss = gateway.rssMib();
    ids.forEach(id -> http.delete("/api/kernels/" + id));
    results.put("concurrent_docker_launches", new JsonObject().put("kernels", CONCURRENT).put("seconds", seconds).put("failures", failures));
    results.put("gateway_rss_with_kernels_mib", busyRss);
    table.add(new String[] {CONCURRENT + " docker kernels at once (s)", String.format("%.1f", seconds), "", "", failures + " failed"});
    table.add(new String[] {"gateway RSS idle / with " + CONCURRENT + " kernels (MiB)", String.format("%.0f / %.0f", idleRss, busyRss), "", "", ""});
  }

  // ---------------------------------------------------------------- figure: scale

  /**
   * Many kernels on one gateway: small protocol kernels (src/test/resources/kernelspecs/tiny, so
   * the gateway and not ipykernel is measured), two WebSocket clients each (one legacy, one v1).
   * At each count: `pass` round trips spread over all kernels (p50/p99), the gateway's CPU per
   * execute, its RSS; each compared with the one-kernel figure. Then the same executes on one
   * kernel only while the others stay connected (what idle kernels and their clients cost the one
   * in use), and the gateway's CPU over a few seconds without traffic (heartbeats, timers).
   */
  private void scale() throws Exception {
    List<String> kernels = new ArrayList<>();
    List<GatewayWsClient> clients = new ArrayList<>();
    JsonObject figures = new JsonObject();
    Stats first = null;
    double firstCpu = 0;
    double firstRss = 0;
    ScaleExecutes firstOneInUse = null;
    ScaleExecutes directFirst = null;
    double firstAdded = 0;
    try {
      for (int count : SCALE_KERNELS) {
        long launchStart = System.nanoTime();
        int failed = startTinyKernels(count - kernels.size(), kernels);
        double launchSeconds = (System.nanoTime() - launchStart) / 1e9;
        while (clients.size() < 2 * kernels.size()) {
          String kernelId = kernels.get(clients.size() / 2);
          clients.add(GatewayWsClient.connect(vertx, gateway.port(), kernelId, clients.size() % 2 == 1));
        }
        if (first == null) {
          // Uncounted: the one-kernel figure is the reference, it must not carry the JIT's warm-up
          // (after as many executes as it counts, it still read 1.0 ms where the same executes later read 0.6).
          for (int i = 0; i < 3 * SCALE_EXECUTES; i++) {
            clients.get(i % clients.size()).execute("pass", UUID.randomUUID().toString(), 60_000);
          }
        }
        // Every kernel in turn (the i-th execute on kernel i % count), through its legacy and its v1 client alternately.
        int kernelCount = kernels.size();
        java.util.function.IntFunction<GatewayWsClient> everyKernelInTurn = i -> clients.get((2 * i + (i / kernelCount) % 2) % clients.size());
        ScaleExecutes spread = timedExecutes(everyKernelInTurn);
        Stats rtt = spread.rtt();
        double cpuPerExecute = spread.cpuMillis();
        double rss = gateway.rssMib();
        // The first kernel only, as at one kernel, while all the others stay connected: what idle
        // kernels and their clients cost the one in use.
        ScaleExecutes oneInUse = timedExecutes(i -> clients.get(i % 2));
        double idleCpu = idleCpuMillisPerSecond();
        if (first == null) {
          first = rtt;
          firstCpu = cpuPerExecute;
          firstRss = rss;
          firstOneInUse = oneInUse;
        }
        ScaleExecutes direct = directScale(kernels, directFirst == null);
        if (directFirst == null) {
          directFirst = direct;
        }
        double added = addedOverTheFloor(kernels, everyKernelInTurn);
        if (firstAdded == 0) {
          firstAdded = added;
        }
        figures.put(String.valueOf(count), new JsonObject().put("kernels", kernels.size()).put("clients", clients.size())
            .put("launch_failures", failed).put("launch_seconds", launchSeconds).put("rtt_ms", rtt.toJson())
            .put("cpu_ms_per_execute_without_jit", cpuPerExecute).put("rss_mib", rss).put("idle_cpu_ms_per_second", idleCpu)
            .put("one_kernel_in_use", new JsonObject().put("rtt_ms", oneInUse.rtt().toJson()).put("cpu_ms_per_execute_without_jit", oneInUse.cpuMillis()))
            .put("direct_zmtp_client", new JsonObject().put("rtt_ms", direct.rtt().toJson()).put("cpu_ms_per_execute", direct.cpuMillis()))
            .put("gateway_added_rtt_ms_paired", added));
        table.add(new String[] {"scale " + kernels.size() + " kernels, " + clients.size() + " clients: pass RTT (ms, " + SCALE_EXECUTES + ")",
            String.format("%.1f", rtt.median()), String.format("%.1f", rtt.p99()), "",
            String.format("%.2fx of 1 kernel (p99 %.2fx)", rtt.median() / first.median(), rtt.p99() / first.p99())});
        table.add(new String[] {"scale " + kernels.size() + " kernels: CPU/execute w/o JIT (ms), RSS (MiB)",
            String.format("%.2f, %.0f", cpuPerExecute, rss), "", "",
            String.format("%.2fx CPU; %+.2f MiB per kernel; %d launch failures; idle %.1f ms CPU/s", cpuPerExecute / firstCpu,
                kernels.size() > 1 ? (rss - firstRss) / (kernels.size() - 1) : 0, failed, idleCpu)});
        // At one kernel this is the same figure measured a second time: the reference of the rows below.
        table.add(new String[] {kernels.size() == 1 ? "  the same executes again: RTT (ms), CPU/execute (ms)"
                : "  the same executes on one of the " + kernels.size() + " kernels: RTT (ms), CPU/execute (ms)",
            String.format("%.1f", oneInUse.rtt().median()), String.format("%.1f", oneInUse.rtt().p99()), String.format("%.2f", oneInUse.cpuMillis()),
            String.format("%.2fx RTT (p99 %.2fx), %.2fx CPU of the same at 1 kernel", oneInUse.rtt().median() / firstOneInUse.rtt().median(),
                oneInUse.rtt().p99() / firstOneInUse.rtt().p99(), oneInUse.cpuMillis() / firstOneInUse.cpuMillis())});
        table.add(new String[] {"  floor: direct ZMTP client, same executes: RTT (ms), CPU/execute (ms)",
            String.format("%.1f", direct.rtt().median()), String.format("%.1f", direct.rtt().p99()), String.format("%.2f", direct.cpuMillis()),
            String.format("%.2fx RTT, %.2fx CPU of 1 kernel", direct.rtt().median() / directFirst.rtt().median(),
                direct.cpuMillis() / directFirst.cpuMillis())});
        table.add(new String[] {"  what the gateway adds to a spread execute's RTT, paired with the floor's (ms)",
            String.format("%.2f", added), "", "", String.format("%.2fx of 1 kernel", added / firstAdded)});
      }
    } finally {
      clients.forEach(GatewayWsClient::close);
      HttpClient client = bulkClient();
      // 20 at a time, as launches: 500 requests at once overran the client's own stream limit (h2c) once.
      for (int from = 0; from < kernels.size(); from += 20) {
        List<CompletableFuture<HttpResponse<String>>> deletes = new ArrayList<>();
        for (String kernelId : kernels.subList(from, Math.min(kernels.size(), from + 20))) {
          deletes.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/kernels/" + kernelId))
              .DELETE().build(), HttpResponse.BodyHandlers.ofString()));
        }
        CompletableFuture.allOf(deletes.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
      }
    }
    results.put("scale", figures);
  }

  /** The gateway's CPU without JIT over a few seconds without traffic: what connected kernels cost at rest. */
  private double idleCpuMillisPerSecond() throws Exception {
    double before = gateway.cpuSecondsWithoutJit();
    long start = System.nanoTime();
    // A measuring window, not a wait for an event.
    Thread.sleep(5_000);
    return (gateway.cpuSecondsWithoutJit() - before) * 1000 / ((System.nanoTime() - start) / 1e9);
  }

  /** A scale step's executes: their round trips and the CPU per execute (the gateway's, or the floor client's). */
  private record ScaleExecutes(Stats rtt, double cpuMillis) {
  }

  /** A scale step's `pass` executes through the gateway, the i-th through {@code clientFor.apply(i)}. */
  private ScaleExecutes timedExecutes(java.util.function.IntFunction<GatewayWsClient> clientFor) throws Exception {
    List<Double> times = new ArrayList<>();
    double before = gateway.cpuSecondsWithoutJit();
    for (int i = 0; i < SCALE_EXECUTES; i++) {
      GatewayWsClient client = clientFor.apply(i);
      times.add(timed(code -> client.execute(code, UUID.randomUUID().toString(), 60_000)));
    }
    return new ScaleExecutes(Stats.of(times), (gateway.cpuSecondsWithoutJit() - before) * 1000 / SCALE_EXECUTES);
  }

  /**
   * The step's executes again, spread over the same kernels in the same order, by
   * {@link RawZmtpKernel} clients of the bench's own (one thread, its CPU counted): how much of the
   * growth with the kernel count is the machine's (hundreds of processes woken in turn, each cold)
   * and not the gateway's. Its connections are opened for this step only, so the gateway's steps
   * are not slowed by a second subscriber left unread.
   */
  private ScaleExecutes directScale(List<String> kernels, boolean warmUp) throws Exception {
    List<RawZmtpKernel> direct = openDirect(kernels);
    try {
      for (int i = 0; warmUp && i < SCALE_EXECUTES; i++) {
        direct.get(i % direct.size()).execute("pass");
      }
      ThreadCpu thread = ThreadCpu.callerOnly();
      double before = thread.seconds();
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < SCALE_EXECUTES; i++) {
        RawZmtpKernel kernel = direct.get(i % direct.size());
        times.add(timed(code -> {
          kernel.execute(code);
          return 0;
        }));
      }
      return new ScaleExecutes(Stats.of(times), (thread.seconds() - before) * 1000 / SCALE_EXECUTES);
    } finally {
      for (RawZmtpKernel raw : direct) {
        raw.close();
      }
    }
  }

  /** A floor client for each kernel, ready (its iopub subscription has taken). */
  private List<RawZmtpKernel> openDirect(List<String> kernels) throws Exception {
    List<RawZmtpKernel> direct = new ArrayList<>();
    for (String kernelId : kernels) {
      RawZmtpKernel raw = new RawZmtpKernel(connectionInfoOf(kernelId));
      direct.add(raw);
      raw.awaitReady(60_000);
    }
    return direct;
  }

  /**
   * What the gateway adds to an execute's round trip, free of the machine's share: each execute
   * through the gateway is paired with one by the floor client on the same kernel, right before or
   * after it. Whichever runs second finds the kernel's process awake, so the order alternates and
   * the figure is the mean of the two orders' median differences. Measured at each kernel count,
   * it shows whether the gateway's own part grows with the count (the spread RTT also carries
   * hundreds of processes woken in turn, which the floor pays alike).
   */
  private double addedOverTheFloor(List<String> kernels, java.util.function.IntFunction<GatewayWsClient> clientFor) throws Exception {
    List<RawZmtpKernel> direct = openDirect(kernels);
    try {
      List<Double> gatewayFirst = new ArrayList<>();
      List<Double> floorFirst = new ArrayList<>();
      for (int i = 0; i < SCALE_EXECUTES; i++) {
        GatewayWsClient client = clientFor.apply(i);
        RawZmtpKernel raw = direct.get(i % direct.size());
        Execution throughGateway = code -> client.execute(code, UUID.randomUUID().toString(), 60_000);
        Execution onTheFloor = code -> {
          raw.execute(code);
          return 0;
        };
        // By pairs of executes: at one kernel, the i-th alternates its client kind (legacy, v1) with i % 2.
        if ((i / 2) % 2 == 0) {
          double viaGateway = timed(throughGateway);
          gatewayFirst.add(viaGateway - timed(onTheFloor));
        } else {
          double floor = timed(onTheFloor);
          floorFirst.add(timed(throughGateway) - floor);
        }
      }
      return (Stats.of(gatewayFirst).median() + Stats.of(floorFirst).median()) / 2;
    } finally {
      for (RawZmtpKernel raw : direct) {
        raw.close();
      }
    }
  }

  /** The connection file the gateway wrote for one of its local kernels, under its runtime directory. */
  private ConnectionInfo connectionInfoOf(String kernelId) throws java.io.IOException {
    String name = "kernel-" + kernelId + ".json";
    try (var files = Files.walk(work.resolve("runtime"))) {
      Path file = files.filter(path -> path.getFileName().toString().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalStateException("no connection file " + name + " under the gateway's runtime directory"));
      return ConnectionInfo.fromJson(new JsonObject(Files.readString(file)));
    }
  }

  /** For many requests at once: HTTP/1.1 as notebook clients speak it (the JDK's default upgrades to h2c and caps its streams). */
  private static HttpClient bulkClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Starts {@code count} tiny kernels, 20 launches in flight at a time; answers how many failed. */
  private int startTinyKernels(int count, List<String> kernels) throws Exception {
    HttpClient client = bulkClient();
    String body = new JsonObject().put("name", "tiny").put("env", new JsonObject().put("KERNEL_USERNAME", "bench")).encode();
    int failed = 0;
    for (int started = 0; started < count; started += 20) {
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (int i = started; i < Math.min(count, started + 20); i++) {
        batch.add(client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/kernels"))
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> launch : batch) {
        HttpResponse<String> response = launch.get(300, TimeUnit.SECONDS);
        if (response.statusCode() == 201) {
          kernels.add(new JsonObject(response.body()).getString("id"));
        } else {
          failed++;
        }
      }
    }
    return failed;
  }

  // ---------------------------------------------------------------- figure: replicas

  /** The environment of replica {@code index} (a or b) of a two-replica cluster on loopback. */
  private Map<String, String> replicaEnv(int index, String clusterName, List<Integer> ports) {
    Map<String, String> env = new HashMap<>(gatewayEnv);
    env.put("KG_RUNTIME_DIR", work.resolve("replica-" + index).toAbsolutePath().toString());
    env.put("KG_CLUSTER", "true");
    env.put("KG_CLUSTER_NAME", clusterName);
    env.put("KG_CLUSTER_HOST", "127.0.0.1");
    env.put("KG_CLUSTER_PORT", String.valueOf(ports.get(index)));
    env.put("KG_CLUSTER_MEMBERS", "127.0.0.1:" + ports.get(0) + ",127.0.0.1:" + ports.get(1));
    return env;
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Two clustered replicas: a kernel's execute round trip and output throughput through the
   * replica that does not own it (relayed) against the owner, alternating, in one run; then the
   * failover time, from the owner's SIGKILL to the kernel answering through the survivor.
   */
  private void cluster() throws Exception {
    String clusterName = "bench" + Long.toHexString(System.nanoTime() & 0xffffff);
    List<Integer> ports = List.of(freePort(), freePort());
    List<Map<String, String>> envs = List.of(replicaEnv(0, clusterName, ports), replicaEnv(1, clusterName, ports));
    GatewayProcess[] replicas = {
        GatewayProcess.start(envs.get(0), new java.io.File("target/bench-replica-a.log")),
        GatewayProcess.start(envs.get(1), new java.io.File("target/bench-replica-b.log"))};
    try {
      relayedVersusOwner(replicas);
      failovers(replicas, envs);
    } finally {
      for (GatewayProcess replica : replicas) {
        replica.close();
      }
    }
  }

  private void relayedVersusOwner(GatewayProcess[] replicas) throws Exception {
    Http onOwner = replicas[0].http();
    String kernelId = onOwner.startKernel("python3", "bench");
    List<Double> ownerTimes = new ArrayList<>();
    List<Double> relayedTimes = new ArrayList<>();
    List<Double> ownerRates = new ArrayList<>();
    List<Double> relayedRates = new ArrayList<>();
    try (GatewayWsClient owner = GatewayWsClient.connect(vertx, replicas[0].port(), kernelId, true);
         GatewayWsClient relayed = GatewayWsClient.connect(vertx, replicas[1].port(), kernelId, true)) {
      Execution viaOwner = code -> owner.execute(code, UUID.randomUUID().toString(), 30_000);
      Execution viaRelay = code -> relayed.execute(code, UUID.randomUUID().toString(), 30_000);
      for (int i = 0; i < 200; i++) {
        viaOwner.run("pass");
        viaRelay.run("pass");
      }
      for (int i = 0; i < ROUND_TRIPS; i++) {
        ownerTimes.add(timed(viaOwner));
        relayedTimes.add(timed(viaRelay));
      }
      for (int round = 0; round < OUTPUT_ROUNDS; round++) {
        ownerRates.add(megabytesPerSecond(code -> owner.execute(printCode(OUTPUT_MB), UUID.randomUUID().toString(), 600_000)));
        relayedRates.add(megabytesPerSecond(code -> relayed.execute(printCode(OUTPUT_MB), UUID.randomUUID().toString(), 600_000)));
      }
    } finally {
      onOwner.delete("/api/kernels/" + kernelId);
    }
    Stats owner = Stats.of(ownerTimes);
    Stats relayed = Stats.of(relayedTimes);
    double ownerRate = Stats.of(ownerRates).median();
    double relayedRate = Stats.of(relayedRates).median();
    results.put("cluster", new JsonObject().put("rtt_ms", new JsonObject().put("owner", owner.toJson()).put("relayed", relayed.toJson()))
        .put("output_mb_per_s", new JsonObject().put("owner", ownerRate).put("relayed", relayedRate)));
    table.add(new String[] {"execute RTT v1 through another replica (ms, " + ROUND_TRIPS + ")", String.format("%.1f", relayed.median()),
        String.format("%.1f", relayed.p99()), String.format("%.1f / %.1f owner", owner.median(), owner.p99()),
        String.format("%.2fx the owner (p99 %.2fx)", relayed.median() / owner.median(), relayed.p99() / owner.p99())});
    table.add(new String[] {"output " + OUTPUT_MB + " MB v1 through another replica (MB/s, median of " + OUTPUT_ROUNDS + ")",
        String.format("%.1f", relayedRate), "", String.format("%.1f owner", ownerRate), String.format("%.2fx the owner", relayedRate / ownerRate)});
  }

  /** Each round kills the replica that owns the kernel and times until the kernel answers through the other; the killed one restarts. */
  private void failovers(GatewayProcess[] replicas, List<Map<String, String>> envs) throws Exception {
    String kernelId = replicas[0].http().startKernel("python3", "bench");
    int owner = 0;
    List<Double> seconds = new ArrayList<>();
    for (int round = 0; round < FAILOVERS; round++) {
      int survivor = 1 - owner;
      replicas[owner].kill();
      long killed = System.nanoTime();
      while (true) {
        try (GatewayWsClient client = GatewayWsClient.connect(vertx, replicas[survivor].port(), kernelId, false)) {
          client.execute("pass", UUID.randomUUID().toString(), 5_000);
          break;
        } catch (Exception notYet) {
          if (System.nanoTime() - killed > 120e9) {
            throw new IllegalStateException("the kernel did not come back after a failover", notYet);
          }
          Thread.sleep(50);
        }
      }
      seconds.add((System.nanoTime() - killed) / 1e9);
      replicas[owner] = GatewayProcess.start(envs.get(owner), new java.io.File("target/bench-replica-" + "ab".charAt(owner) + ".log"));
      owner = survivor;
    }
    replicas[owner].http().delete("/api/kernels/" + kernelId);
    Stats failover = Stats.of(seconds);
    results.getJsonObject("cluster", new JsonObject()).put("failover_seconds", failover.toJson());
    table.add(new String[] {"failover: owner SIGKILLed to kernel answering (s, " + FAILOVERS + ")", String.format("%.2f", failover.median()),
        String.format("%.2f", failover.p99()), "", "median; goal within 10 s"});
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
