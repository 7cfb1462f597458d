package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.json.Json;
import org.jdbi.v3.core.Jdbi;

/** {@code GET /health}, without a key: 200 when the database answers, 503 when it does not. */
public final class HealthRoutes implements RouteGroup {
  private final Jdbi jdbi;

  public HealthRoutes(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.HEALTH).get("/health", Route.PUBLIC, "Whether this node and its database answer", this::health);
  }

  private void health(Context ctx) {
    boolean database = databaseAnswers();
    ctx.status(database ? 200 : 503).json(Json.object()
        .put("status", database ? "ok" : "degraded")
        .put("database", database ? "up" : "down"));
  }

  private boolean databaseAnswers() {
    try {
      return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
