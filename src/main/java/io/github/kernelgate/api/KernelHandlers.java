package io.github.kernelgate.api;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The /api/kernels routes. Each handler forwards to the lifecycle verticle and writes its answer. */
final class KernelHandlers {

  private final KernelBus kernels;
  private final String baseUrl;

  KernelHandlers(KernelBus kernels, String baseUrl) {
    this.kernels = kernels;
    this.baseUrl = baseUrl;
  }

  void list(RoutingContext ctx) {
    kernels.list().onSuccess(reply -> ApiResponses.json(ctx, 200, reply.getJsonArray("kernels"))).onFailure(ctx::fail);
  }

  void start(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx, false, "");
    kernels.start(AbandonedStarts.watch(ctx, kernels, body)).onSuccess(model -> {
      if (AbandonedStarts.clientLeft(ctx, kernels, model.getString("id"))) {
        return;
      }
      ctx.response().putHeader("Location", baseUrl + "api/kernels/" + model.getString("id"));
      ApiResponses.json(ctx, 201, model);
    }).onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    kernels.get(kernelId(ctx)).onSuccess(model -> ApiResponses.json(ctx, 200, model)).onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    kernels.shutdown(kernelId(ctx)).onSuccess(done -> ApiResponses.noContent(ctx)).onFailure(ctx::fail);
  }

  void interrupt(RoutingContext ctx) {
    kernels.interrupt(kernelId(ctx)).onSuccess(done -> ApiResponses.noContent(ctx)).onFailure(ctx::fail);
  }

  void restart(RoutingContext ctx) {
    kernels.restart(kernelId(ctx)).onSuccess(model -> ApiResponses.json(ctx, 200, model)).onFailure(ctx::fail);
  }

  static String kernelId(RoutingContext ctx) {
    return ctx.pathParam("kid");
  }
}
