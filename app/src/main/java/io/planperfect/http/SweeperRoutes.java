package io.planperfect.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.planperfect.engine.Sweeper;
import io.planperfect.json.Json;

/** Runs the sweeper on demand: {@code POST /api/v1/sweeper/run} and seed 003's {@code /functions/v1/sweeper} (service key). */
public final class SweeperRoutes implements RouteGroup {
  private final Sweeper sweeper;

  public SweeperRoutes(Sweeper sweeper) {
    this.sweeper = sweeper;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/sweeper/run", this::run, Access.SERVICE);
    routes.post("/functions/v1/sweeper", this::run, Access.SERVICE);
  }

  private void run(Context ctx) {
    Sweeper.Report report = sweeper.sweep("manual");
    ctx.json(Json.object()
        .put("message", "Sweep completed")
        .put("orphans_requeued", report.orphansRequeued())
        .put("expired_leases", report.expiredLeases())
        .put("duration_ms", report.durationMs()));
  }
}
