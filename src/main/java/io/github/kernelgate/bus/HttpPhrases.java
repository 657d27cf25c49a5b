package io.github.kernelgate.bus;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Standard HTTP reason phrases, used as the {@code reason} of error bodies. */
public final class HttpPhrases {

  private HttpPhrases() {
  }

  public static String of(int status) {
    return HttpResponseStatus.valueOf(status).reasonPhrase();
  }
}
