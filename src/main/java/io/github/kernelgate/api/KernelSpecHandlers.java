package io.github.kernelgate.api;

import io.github.kernelgate.bus.GatewayException;
import io.github.kernelgate.config.GatewayConfig;
import io.github.kernelgate.kernelspec.KernelSpec;
import io.github.kernelgate.kernelspec.KernelSpecStore;
import io.github.kernelgate.kernelspec.SpecAccess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * /api/kernelspecs and the spec resource files. Specs are read from disk on a worker for every
 * request. EG_ALLOWED_KERNELS hides specs from the listing; {@code ?user=} hides the specs the
 * user may not start. Resource paths never leave the spec's directory.
 */
final class KernelSpecHandlers {

  private final Vertx vertx;
  private final KernelSpecStore store;
  private final GatewayConfig config;
  private final SpecAccess access;

  KernelSpecHandlers(Vertx vertx, KernelSpecStore store, GatewayConfig config) {
    this.vertx = vertx;
    this.store = store;
    this.config = config;
    this.access = new SpecAccess(config.allowedKernels(), config.unauthorizedUsers(), config.authorizedUsers());
  }

  void list(RoutingContext ctx) {
    String user = ctx.request().getParam("user");
    vertx.executeBlocking(store::findAll, false).onSuccess(specs -> {
      JsonObject all = new JsonObject();
      specs.values().stream().filter(access::isAllowed).filter(spec -> user == null || access.isVisibleTo(user, spec))
          .forEach(spec -> all.put(spec.name(), spec.toModel(config.baseUrl())));
      String defaultName = config.defaultKernelName();
      ApiResponses.json(ctx, 200, new JsonObject().put("default", defaultName).put("kernelspecs", all));
    }).onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    String name = decode(ctx.pathParam("name"));
    String user = ctx.request().getParam("user");
    vertx.executeBlocking(() -> store.find(name), false).map(found -> {
      KernelSpec spec = found.orElseThrow(() -> GatewayException.notFound("Kernel spec " + name + " not found"));
      if (user != null && !access.isVisibleTo(user, spec)) {
        throw GatewayException.forbidden("User " + user + " is not authorized to use kernel spec " + name);
      }
      return spec.toModel(config.baseUrl());
    }).onSuccess(model -> ApiResponses.json(ctx, 200, model)).onFailure(ctx::fail);
  }

  void resource(RoutingContext ctx) {
    String name = decode(ctx.pathParam("name"));
    String relative = decode(ctx.pathParam("path"));
    vertx.executeBlocking(() -> resolve(name, relative), false).onSuccess(file -> {
      String contentType = contentType(file.getFileName().toString());
      ctx.response().putHeader("Content-Type", contentType);
      if (ctx.request().method() == io.vertx.core.http.HttpMethod.HEAD) {
        ctx.response().putHeader("Content-Length", String.valueOf(file.toFile().length())).end();
      } else {
        ctx.response().sendFile(file.toString()).onFailure(ctx::fail);
      }
    }).onFailure(ctx::fail);
  }

  private Path resolve(String name, String relative) throws IOException {
    KernelSpec spec = store.find(name).orElseThrow(() -> GatewayException.notFound("Kernel spec " + name + " not found"));
    Path directory = spec.directory().toRealPath();
    Path candidate;
    try {
      candidate = directory.resolve(relative).normalize();
    } catch (InvalidPathException notAPath) {
      // A NUL byte or similar: no file can have that name.
      throw GatewayException.notFound("No resource " + relative.replace("\0", "%00") + " in kernel spec " + name);
    }
    if (!candidate.startsWith(directory) || !Files.isRegularFile(candidate)) {
      throw GatewayException.notFound("No resource " + relative + " in kernel spec " + name);
    }
    Path real = candidate.toRealPath();
    if (!real.startsWith(directory)) {
      throw GatewayException.notFound("No resource " + relative + " in kernel spec " + name);
    }
    return real;
  }

  private static final Map<String, String> CONTENT_TYPES = Map.of("png", "image/png", "svg", "image/svg+xml",
      "js", "application/javascript", "css", "text/css", "json", "application/json");

  private static String contentType(String fileName) {
    int dot = fileName.lastIndexOf('.');
    return dot < 0 ? "application/octet-stream" : CONTENT_TYPES.getOrDefault(fileName.substring(dot + 1).toLowerCase(), "application/octet-stream");
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
