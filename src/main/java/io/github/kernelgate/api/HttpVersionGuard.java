package io.github.kernelgate.api;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.impl.Http1xServerConnection;

/**
 * Marks a request whose line names an HTTP version other than 1.0 or 1.1 (say {@code HTTP/2.0}
 * without the HTTP/2 preface) as undecodable, so it reaches the server's invalid-request handler
 * and gets a JSON 505. Left alone, Vert.x answers such a request itself with an empty 501, before
 * any handler of ours could see it.
 */
@ChannelHandler.Sharable
final class HttpVersionGuard extends ChannelInboundHandlerAdapter {

  private static final HttpVersionGuard INSTANCE = new HttpVersionGuard();

  /** Raised (as a decoder result, never thrown) for a request line with an unsupported version. */
  static final class UnsupportedVersionException extends DecoderException {
    UnsupportedVersionException(String version) {
      super("HTTP version " + version + " is not supported: use HTTP/1.1 (or HTTP/2 with its connection preface)");
    }
  }

  /** Installs the guard on a new HTTP/1.x connection; the server's connection handler calls this. */
  static void install(HttpConnection connection) {
    if (connection instanceof Http1xServerConnection http1) {
      // Before Vert.x's own handler, where Vert.x itself inserts its WebSocket extension handler.
      http1.channelHandlerContext().pipeline().addBefore("handler", "kernelgateHttpVersionGuard", INSTANCE);
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object message) {
    if (message instanceof HttpRequest request && request.decoderResult().isSuccess() && !isHttp1(request.protocolVersion())) {
      request.setDecoderResult(DecoderResult.failure(new UnsupportedVersionException(request.protocolVersion().text())));
      // The answer is written in the request's version: make it one the client can read as ours.
      request.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
    ctx.fireChannelRead(message);
  }

  private static boolean isHttp1(HttpVersion version) {
    return HttpVersion.HTTP_1_1.equals(version) || HttpVersion.HTTP_1_0.equals(version);
  }
}
