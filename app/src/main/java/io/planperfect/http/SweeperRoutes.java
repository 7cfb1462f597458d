package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.engine.Sweeper;
import io.planperfect.json.Json;

/** Runs the sweeper on demand: the handler of {@code POST /api/v1/sweeper/run} and seed 003's {@code /functions/v1/sweeper}. */
public final class SweeperRoutes {
  private final Sweeper sweeper;

  public SweeperRoutes(Sweeper sweeper) {
    this.sweeper = sweeper;
  }

  void run(Context ctx) {
    Sweeper.Report report = sweeper.sweep("manual");
    ctx.json(Json.object()
        .put("message", "Sweep completed")
        .put("orphans_requeued", report.orphansRequeued())
        .put("expired_leases", report.expiredLeases())
        .put("duration_ms", report.durationMs()));
  }
}
