package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.json.Json;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /health}, without a key: 200 {@code ok} when this node's loops run and its database
 * answers; 503 {@code starting} while the node has bound its server but not yet started its loops,
 * 503 {@code degraded} when the database does not answer.
 */
public final class HealthRoutes implements RouteGroup {
  private final Jdbi jdbi;
  private final NodeReadiness readiness;

  public HealthRoutes(Jdbi jdbi, NodeReadiness readiness) {
    this.jdbi = jdbi;
    this.readiness = readiness;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.HEALTH).get("/health", Route.PUBLIC, "Whether this node and its database answer", this::health);
  }

  private void health(Context ctx) {
    boolean database = databaseAnswers();
    boolean started = readiness.started();
    String status = !started ? "starting" : database ? "ok" : "degraded";
    ctx.status(started && database ? 200 : 503).json(Json.object()
        .put("status", status)
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
