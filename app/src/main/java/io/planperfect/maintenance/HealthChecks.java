package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.scheduler.RunContext;
import io.planperfect.scheduler.ScheduledAction;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003's {@code content_pipeline_health}: one health_checks row per component — the
 * database, the queues, the workers (live nodes) and the scheduler (lag and stuck runs) — each
 * healthy, degraded or unhealthy with its response time and details. A check that throws is
 * recorded as unhealthy with the error, and the other checks still run.
 */
public final class HealthChecks implements ScheduledAction {
  private static final Logger LOG = LoggerFactory.getLogger(HealthChecks.class);

  private static final String INSERT = """
      insert into health_checks (component, status, response_time_ms, details, metadata)
      values (:component, :status, :responseTime, cast(:details as jsonb), cast(:metadata as jsonb))""";

  private final Jdbi jdbi;
  private final List<HealthCheck> checks;

  /** One component's check and what it found. */
  interface HealthCheck {
    String component();

    Finding check(Handle h);
  }

  record Finding(HealthStatus status, ObjectNode details) {}

  record Result(String component, HealthStatus status, long responseTimeMs, ObjectNode details) {}

  public HealthChecks(Jdbi jdbi, MaintenanceSettings settings) {
    this.jdbi = jdbi;
    this.checks = List.of(new DatabaseCheck(), new QueuesCheck(settings.oldestReadyMax()), new WorkersCheck(),
        new SchedulerCheck(settings.schedulerLagMax(), settings.schedulerLagUnhealthy()));
  }

  @Override
  public ObjectNode run(RunContext run) {
    List<Result> results = jdbi.withHandle(h -> checks.stream().map(c -> timed(h, c)).toList());
    jdbi.useTransaction(h -> results.forEach(r -> write(h, r, run)));
    ObjectNode components = Json.object();
    results.forEach(r -> components.put(r.component(), r.status().sqlName()));
    HealthStatus overall = HealthStatus.worst(results.stream().map(Result::status).toList());
    ObjectNode summary = Json.object().put("status", overall.sqlName());
    summary.set("components", components);
    return summary;
  }

  private static Result timed(Handle h, HealthCheck check) {
    long started = System.nanoTime();
    Finding finding = safely(h, check);
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    return new Result(check.component(), finding.status(), elapsedMs, finding.details());
  }

  private static Finding safely(Handle h, HealthCheck check) {
    try {
      return check.check(h);
    } catch (RuntimeException e) {
      LOG.warn("health check {} failed", check.component(), e);
      return new Finding(HealthStatus.UNHEALTHY, Json.object().put("error", String.valueOf(e.getMessage())));
    }
  }

  private static void write(Handle h, Result r, RunContext run) {
    h.createUpdate(INSERT)
        .bind("component", r.component())
        .bind("status", r.status().sqlName())
        .bind("responseTime", (int) Math.min(Integer.MAX_VALUE, r.responseTimeMs()))
        .bind("details", Json.write(r.details()))
        .bind("metadata", Json.write(Json.object().put("trigger_type", run.triggerType()).put("run_id", run.runId())))
        .execute();
  }
}
