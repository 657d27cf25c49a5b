package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CORS headers from EG_ALLOW_* (sent verbatim when set), the origin check of Jupyter Server
 * (a foreign Origin gets 404 on REST and 403 on a WebSocket upgrade), and the answer to OPTIONS
 * preflights, which need no token.
 */
final class CorsHandler implements Handler<RoutingContext> {

  private final Map<String, String> headers = new LinkedHashMap<>();
  private final String allowOrigin;

  CorsHandler(GatewayConfig config) {
    put("Access-Control-Allow-Credentials", config.allowCredentials());
    put("Access-Control-Allow-Headers", config.allowHeaders());
    put("Access-Control-Allow-Methods", config.allowMethods());
    put("Access-Control-Allow-Origin", config.allowOrigin());
    put("Access-Control-Expose-Headers", config.exposeHeaders());
    put("Access-Control-Max-Age", config.maxAge());
    this.allowOrigin = config.allowOrigin();
  }

  private void put(String header, String value) {
    if (value != null && !value.isEmpty()) {
      headers.put(header, value);
    }
  }

  @Override
  public void handle(RoutingContext ctx) {
    MultiMap response = ctx.response().headers();
    headers.forEach(response::set);
    if (ctx.request().method() == HttpMethod.OPTIONS) {
      ctx.response().setStatusCode(200).end();
      return;
    }
    // authority() is the Host header on HTTP/1.1 and :authority on HTTP/2.
    var authority = ctx.request().authority();
    String host = authority == null ? null : authority.port() > 0 ? authority.host() + ":" + authority.port() : authority.host();
    if (!originAllowed(ctx.request().getHeader("Origin"), host)) {
      boolean upgrade = "websocket".equalsIgnoreCase(ctx.request().getHeader("Upgrade"));
      ctx.fail(upgrade ? GatewayException.forbidden("Origin is not allowed") : GatewayException.notFound(""));
      return;
    }
    ctx.next();
  }

  private boolean originAllowed(String origin, String host) {
    if ("*".equals(allowOrigin) || origin == null || host == null || origin.equals(allowOrigin)) {
      return true;
    }
    try {
      URI uri = URI.create(origin);
      String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
      return host.equalsIgnoreCase(originHost);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
  }
}
