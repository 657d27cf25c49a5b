package io.github.kernelgate.api;

import io.github.kernelgate.bus.Addresses;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The /api/sessions routes, answered by the lifecycle verticle (sessions name kernels). */
final class SessionHandlers {

  private final KernelBus kernels;
  private final String baseUrl;

  SessionHandlers(KernelBus kernels, String baseUrl) {
    this.kernels = kernels;
    this.baseUrl = baseUrl;
  }

  void list(RoutingContext ctx) {
    kernels.session(Addresses.SESSION_LIST, new JsonObject())
        .onSuccess(reply -> ApiResponses.json(ctx, 200, reply.getJsonArray("sessions"))).onFailure(ctx::fail);
  }

  void create(RoutingContext ctx) {
    JsonObject body = RequestBodies.object(ctx, true, "No JSON data provided");
    // Only a session that starts its own kernel is a start: one for an existing kernel leaves that kernel alone.
    boolean startsKernel = !(body.getValue("kernel") instanceof JsonObject kernel && kernel.getValue("id") != null);
    JsonObject request = startsKernel ? AbandonedStarts.watch(ctx, kernels, body) : body;
    kernels.session(Addresses.SESSION_CREATE, request).onSuccess(reply -> {
      JsonObject session = reply.getJsonObject("session");
      if (startsKernel && reply.getBoolean("created", false)
          && AbandonedStarts.clientLeft(ctx, kernels, session.getJsonObject("kernel").getString("id"))) {
        return;
      }
      ctx.response().putHeader("Location", baseUrl + "api/sessions/" + session.getString("id"));
      ApiResponses.json(ctx, 201, session);
    }).onFailure(ctx::fail);
  }

  void get(RoutingContext ctx) {
    kernels.session(Addresses.SESSION_GET, id(ctx)).onSuccess(session -> ApiResponses.json(ctx, 200, session)).onFailure(ctx::fail);
  }

  void update(RoutingContext ctx) {
    JsonObject patch = RequestBodies.object(ctx, true, "No JSON data provided");
    JsonObject request = id(ctx).put("patch", patch);
    // A patch naming a kernel spec may start a kernel: if its client hangs up while that kernel
    // waits or launches, the start ends and the session keeps its kernel. A switch that completed
    // stays done (the session names the new kernel, which a returning client finds).
    boolean mayStartKernel = patch.getValue("kernel") instanceof JsonObject kernel && kernel.getValue("id") == null
        && kernel.getValue("name") != null;
    kernels.session(Addresses.SESSION_UPDATE, mayStartKernel ? AbandonedStarts.watch(ctx, kernels, request) : request)
        .onSuccess(session -> ApiResponses.json(ctx, 200, session)).onFailure(ctx::fail);
  }

  void delete(RoutingContext ctx) {
    kernels.session(Addresses.SESSION_DELETE, id(ctx)).onSuccess(done -> ApiResponses.noContent(ctx)).onFailure(ctx::fail);
  }

  private static JsonObject id(RoutingContext ctx) {
    return new JsonObject().put("session_id", ctx.pathParam("sid"));
  }
}
