package io.planperfect.http;

import io.javalin.http.Context;
import io.planperfect.health.Readiness;
import io.planperfect.json.Json;
import org.jdbi.v3.core.Jdbi;

/**
 * The probes, without a key: {@code GET /health} (200 {@code ok} when this node's loops run and its
 * database answers; 503 {@code starting} while the node has bound its server but not yet started its
 * loops, 503 {@code degraded} when the database does not answer), {@code GET /health/live} (the process answers: always 200), and {@code GET /health/ready}
 * (200 when every part of the node is up, else 503 naming the failing parts, and 503 while the node
 * drains on shutdown; see {@link Readiness}).
 */
public final class HealthRoutes implements RouteGroup {
  private final Jdbi jdbi;
  private final Readiness readiness;

  public HealthRoutes(Jdbi jdbi, Readiness readiness) {
    this.jdbi = jdbi;
    this.readiness = readiness;
  }

  @Override
  public void addTo(RouteTable table) {
    table.section(Audience.HEALTH)
        .get("/health", Route.PUBLIC, "Whether this node and its database answer", this::health)
        .get("/health/live", Route.PUBLIC, "Whether the process answers (a liveness probe)", this::live)
        .get("/health/ready", Route.PUBLIC, "Whether this node should be sent work: its parts, loops and database",
            this::ready);
  }

  private void health(Context ctx) {
    boolean database = databaseAnswers();
    boolean started = readiness.isReady(Readiness.STARTUP);
    String status = !started ? "starting" : database ? "ok" : "degraded";
    ctx.status(started && database ? 200 : 503).json(Json.object()
        .put("status", status)
        .put("database", database ? "up" : "down"));
  }

  private void live(Context ctx) {
    ctx.json(Json.object().put("status", "live"));
  }

  private void ready(Context ctx) {
    Readiness.Report report = readiness.report();
    var body = Json.object().put("status", report.ready() ? "ready" : report.draining() ? "draining" : "not_ready");
    var failing = body.putObject("failing");
    report.failing().forEach(failing::put);
    if (!report.ready()) {
      ctx.header("Retry-After", "5");
    }
    ctx.status(report.ready() ? 200 : 503).json(body);
  }

  private boolean databaseAnswers() {
    try {
      return jdbi.withHandle(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
