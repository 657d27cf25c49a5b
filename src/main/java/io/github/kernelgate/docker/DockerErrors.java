package io.github.kernelgate.docker;

import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import io.github.kernelgate.bus.GatewayException;
import java.io.IOException;
import java.net.SocketTimeoutException;

/** Turns docker-java failures into GatewayExceptions: an unreachable or hung daemon is 503. */
final class DockerErrors {

  private DockerErrors() {
  }

  static GatewayException toGateway(Throwable failure, String dockerHost) {
    if (failure instanceof GatewayException known) {
      return known;
    }
    if (failure instanceof NotFoundException notFound) {
      return new GatewayException(404, clean(notFound.getMessage()));
    }
    if (failure instanceof ConflictException conflict) {
      return new GatewayException(409, clean(conflict.getMessage()));
    }
    if (failure instanceof BadRequestException bad) {
      return GatewayException.badRequest(clean(bad.getMessage()));
    }
    if (failure instanceof DockerException docker) {
      return GatewayException.internal("Docker error: " + clean(docker.getMessage()));
    }
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof SocketTimeoutException) {
        return GatewayException.unavailable("Docker daemon at " + dockerHost + " did not answer in time");
      }
      if (cause instanceof IOException io) {
        return GatewayException.unavailable("Docker daemon unreachable at " + dockerHost + ": " + io.getMessage());
      }
    }
    return GatewayException.internal("Docker call failed: " + failure);
  }

  /** docker-java prefixes messages with the status and wraps the daemon's JSON: keep the daemon's words. */
  private static String clean(String message) {
    if (message == null) {
      return "";
    }
    int start = message.indexOf("\"message\":\"");
    if (start >= 0) {
      int end = message.indexOf('"', start + 11);
      if (end > start) {
        return message.substring(start + 11, end);
      }
    }
    return message.strip();
  }
}
