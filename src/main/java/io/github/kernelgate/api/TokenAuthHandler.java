package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Token authentication (EG_AUTH_TOKEN): the {@code token} query argument if present, else an
 * {@code Authorization: token T} (or {@code Bearer T}) header. Compared in constant time.
 * Applies to WebSocket upgrades too; OPTIONS requests never reach it.
 */
final class TokenAuthHandler implements Handler<RoutingContext> {

  private final byte[] token;

  TokenAuthHandler(String token) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (token.length == 0) {
      ctx.next();
      return;
    }
    String presented = presented(ctx);
    if (matches(presented)) {
      ctx.next();
    } else {
      // JupyterLab shows this text to the user: say what is wrong, never what the token is.
      ctx.fail(new GatewayException(401, presented == null
          ? "This gateway requires a token: send 'Authorization: token <token>' or ?token=<token>"
          : "The token given is not valid for this gateway"));
    }
  }

  private static String presented(RoutingContext ctx) {
    String query = ctx.request().getParam("token");
    if (query != null) {
      return query;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null) {
      return null;
    }
    int space = header.indexOf(' ');
    if (space < 0) {
      return null;
    }
    String scheme = header.substring(0, space);
    return scheme.equalsIgnoreCase("token") || scheme.equalsIgnoreCase("bearer") ? header.substring(space + 1).trim() : null;
  }

  private boolean matches(String presented) {
    return presented != null && MessageDigest.isEqual(token, presented.getBytes(StandardCharsets.UTF_8));
  }
}
