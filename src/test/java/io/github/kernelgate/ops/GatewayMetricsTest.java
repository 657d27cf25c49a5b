package io.github.kernelgate.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kernelgate.config.GatewayVertxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The registry a gateway's Vert.x reports into: HTTP and JVM figures, not the event bus's per-message meters. */
class GatewayMetricsTest {

  private final GatewayMetrics metrics = new GatewayMetrics();
  private final Vertx vertx = metrics.instrument(Vertx.builder(), GatewayVertxOptions.create()).build();

  @AfterEach
  void close() {
    vertx.close().await();
  }

  @Test
  void vertxReportsHttpAndJvmFiguresButNotTheEventBus() {
    vertx.eventBus().consumer("test.echo", message -> message.reply(message.body()));
    assertThat(vertx.eventBus().request("test.echo", "hello").await().body()).isEqualTo("hello");
    HttpServer server = vertx.createHttpServer().requestHandler(request -> request.response().end("ok")).listen(0).await();
    HttpClientAgent client = vertx.createHttpClient();
    String body = client.request(HttpMethod.GET, server.actualPort(), "localhost", "/")
        .compose(request -> request.send().compose(response -> response.body())).await().toString();
    assertThat(body).isEqualTo("ok");
    client.close().await();

    String text = metrics.scrape();
    assertThat(text).contains("vertx_http_server_requests_total").contains("jvm_memory_used_bytes")
        .contains("kernelgate_messages_total");
    assertThat(text).as("event bus meters are registered again per message: off").doesNotContain("vertx_eventbus_");
  }
}
