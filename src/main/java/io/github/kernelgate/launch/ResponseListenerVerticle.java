package io.github.kernelgate.launch;

import io.github.kernelgate.bus.Addresses;
import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response listener of the launch handshake: a non-blocking TCP server on
 * EG_RESPONSE_IP:EG_RESPONSE_PORT (with EG_RESPONSE_PORT_RETRIES further ports) to which kernel
 * launchers send their encrypted connection info, one payload per connection, EOF-delimited.
 * A payload is accepted only for a kernel some proxy is expecting, once, and only by the rules
 * of {@link LaunchExpectation} (its one-time secret, or the kernel's own address); garbage,
 * oversized, slow, wrongly keyed, forged and unknown payloads are dropped with a log line naming
 * the peer, and never disturb other launches.
 */
public final class ResponseListenerVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseListenerVerticle.class);
  /** A real payload is under 2 KiB; anything near this is garbage. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;
  /** A launcher writes its payload at once; a sender still busy after this is cut off. */
  static final long READ_TIMEOUT_MILLIS = 10_000;

  /** A launch waiting for its payload. */
  private record Expected(Promise<JsonObject> payload, long timerId, LaunchExpectation rules) {
  }

  private final Map<String, Expected> expected = new HashMap<>();
  private HandshakeKeys keys;
  private PayloadDecoder decoder;
  private NetServer server;
  private String responseAddress;

  @Override
  public Future<?> start() {
    GatewayConfig config = GatewayConfig.fromJson(config());
    String advertised = ResponseAddress.choose(config.responseIp(), config.prohibitedLocalIps());
    String bindHost = config.responseAddrAny() ? "0.0.0.0" : advertised;
    var bus = vertx.eventBus();
    return vertx.executeBlocking(HandshakeKeys::generate, false)
        .compose(generated -> {
          keys = generated;
          decoder = new PayloadDecoder(generated);
          return listen(bindHost, candidatePorts(config.responsePort(), config.responsePortRetries()), 0);
        })
        .onSuccess(port -> {
          responseAddress = advertised + ":" + port;
          LOG.atInfo().addKeyValue("address", responseAddress).addKeyValue("bound", bindHost + ":" + port).log("response listener ready");
        })
        .recover(failure -> {
          // Local kernels do not need the listener: the gateway keeps serving, remote launches get 503.
          LOG.error("response listener could not listen on {} (ports from {}): {}", bindHost, config.responsePort(), failure.getMessage());
          return Future.succeededFuture(0);
        })
        .compose(port -> Future.all(
            bus.<JsonObject>localConsumer(Addresses.LAUNCH_EXPECT_KERNEL, this::expect).completion(),
            bus.<JsonObject>localConsumer(Addresses.LAUNCH_CANCEL_KERNEL, this::cancel).completion(),
            bus.<JsonObject>localConsumer(Addresses.LAUNCH_KERNEL_ADDRESS, this::kernelAddress).completion(),
            bus.<JsonObject>localConsumer(Addresses.LAUNCH_DESCRIBE, this::describe).completion()));
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** EG's order: the configured port, the next four, then random ports near it; 0 means any free port. */
  static List<Integer> candidatePorts(int base, int retries) {
    List<Integer> ports = new ArrayList<>();
    ports.add(base);
    if (base == 0) {
      return ports;
    }
    for (int i = 1; i <= retries; i++) {
      int port = i <= 4 ? base + i : base + ThreadLocalRandom.current().nextInt(-2 * (retries + 1), 2 * (retries + 1) + 1);
      if (port > 0 && port < 65536 && !ports.contains(port)) {
        ports.add(port);
      }
    }
    return ports;
  }

  private Future<Integer> listen(String host, List<Integer> ports, int index) {
    NetServer candidate = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(ports.get(index)))
        .connectHandler(this::receive);
    return candidate.listen()
        .map(listening -> {
          server = listening;
          return listening.actualPort();
        })
        .recover(failure -> index + 1 < ports.size() ? listen(host, ports, index + 1) : Future.failedFuture(failure));
  }

  private void receive(NetSocket socket) {
    String peer = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().host();
    Buffer payload = Buffer.buffer();
    long timer = vertx.setTimer(READ_TIMEOUT_MILLIS, fired -> {
      LOG.atWarn().addKeyValue("peer", peer).addKeyValue("bytes", payload.length())
          .log("handshake payload dropped: sender too slow");
      socket.close();
    });
    socket.handler(chunk -> {
      if (payload.length() + chunk.length() > MAX_PAYLOAD_BYTES) {
        LOG.atWarn().addKeyValue("peer", peer).log("handshake payload dropped: over {} bytes", MAX_PAYLOAD_BYTES);
        vertx.cancelTimer(timer);
        socket.handler(null);
        socket.close();
        return;
      }
      payload.appendBuffer(chunk);
    });
    socket.endHandler(end -> {
      if (vertx.cancelTimer(timer)) {
        accept(payload.getBytes(), peer);
      }
      socket.close();
    });
  }

  private void accept(byte[] payload, String peer) {
    JsonObject info;
    try {
      info = decoder.decode(payload);
    } catch (InvalidPayload invalid) {
      LOG.atWarn().addKeyValue("peer", peer).addKeyValue("bytes", payload.length)
          .log("handshake payload dropped: {}", invalid.getMessage());
      return;
    }
    String kernelId = info.getString("kernel_id");
    Expected waiting = expected.get(kernelId);
    if (waiting == null) {
      LOG.atWarn().addKeyValue("peer", peer).log("handshake payload dropped: no launch is expecting kernel {}", kernelId);
      return;
    }
    LaunchExpectation.Verdict verdict = waiting.rules().judge(info, peer);
    if (verdict instanceof LaunchExpectation.Verdict.Accept accept) {
      complete(kernelId, waiting, accept.info(), peer);
    } else if (verdict instanceof LaunchExpectation.Verdict.Refuse refuse) {
      LOG.atWarn().addKeyValue("kernel_id", kernelId).addKeyValue("peer", peer)
          .log("handshake payload refused: {}", refuse.why());
    } else {
      LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("peer", peer)
          .log("handshake payload without a launch secret held until the kernel's address is known");
    }
  }

  /** One payload per launch: the expectation ends with the first accepted one. */
  private void complete(String kernelId, Expected waiting, JsonObject info, String peer) {
    expected.remove(kernelId, waiting);
    vertx.cancelTimer(waiting.timerId());
    LOG.atInfo().addKeyValue("kernel_id", kernelId).addKeyValue("peer", peer).log("connection info received");
    waiting.payload().tryComplete(info);
  }

  /** Body {@code {kernel_id, address}}: where the kernel's container or service runs, once known. */
  private void kernelAddress(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    Expected waiting = expected.get(kernelId);
    if (waiting != null) {
      List<String> refused = new ArrayList<>();
      String address = request.body().getString("address");
      waiting.rules().addressKnown(address, refused).ifPresent(info -> complete(kernelId, waiting, info, address));
      refused.forEach(peer -> LOG.atWarn().addKeyValue("kernel_id", kernelId)
          .log("handshake payload refused: no launch secret, and sent from {} instead of the kernel's address {}", peer, address));
    }
    request.reply(new JsonObject());
  }

  private void expect(Message<JsonObject> request) {
    String kernelId = request.body().getString("kernel_id");
    long timeoutMillis = request.body().getLong("timeout_ms", 30_000L);
    LaunchExpectation rules = new LaunchExpectation(request.body().getString("secret"),
        request.body().getBoolean("accepts_unsigned", false));
    if (server == null) {
      request.fail(503, GatewayException.unavailable("The response listener is not listening").toJson().encode());
      return;
    }
    Expected previous = expected.remove(kernelId);
    if (previous != null) {
      vertx.cancelTimer(previous.timerId());
      previous.payload().tryFail(new GatewayException(409, "Superseded by a new launch of kernel " + kernelId));
    }
    Promise<JsonObject> payload = Promise.promise();
    long timer = vertx.setTimer(timeoutMillis, fired -> {
      if (expected.remove(kernelId) != null) {
        payload.tryFail(new GatewayException(504, "no connection info from kernel " + kernelId + " within " + timeoutMillis / 1000.0 + " s"));
      }
    });
    expected.put(kernelId, new Expected(payload, timer, rules));
    payload.future()
        .onSuccess(info -> request.reply(new JsonObject().put("connection_info", info)))
        .onFailure(failure -> {
          GatewayException error = failure instanceof GatewayException known ? known : GatewayException.internal(failure.getMessage());
          request.fail(error.status(), error.toJson().encode());
        });
  }

  private void cancel(Message<JsonObject> request) {
    Expected waiting = expected.remove(request.body().getString("kernel_id"));
    if (waiting != null) {
      vertx.cancelTimer(waiting.timerId());
      waiting.payload().tryFail(new GatewayException(410, "launch cancelled"));
    }
    request.reply(new JsonObject());
  }

  private void describe(Message<JsonObject> request) {
    if (server == null) {
      request.fail(503, GatewayException.unavailable("The response listener is not listening").toJson().encode());
      return;
    }
    request.reply(new JsonObject().put("public_key", keys.publicKeyBase64()).put("response_address", responseAddress));
  }
}
