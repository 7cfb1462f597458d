package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.maintenance.HealthChecks.Finding;
import io.planperfect.maintenance.HealthChecks.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The scheduler keeps up: lag is how far past its {@code next_run_at} the most overdue enabled
 * job is; runs still {@code running} past their job's {@code timeout_seconds} are stuck.
 * Degraded when the lag exceeds the limit or a run is stuck; unhealthy beyond the second limit.
 */
final class SchedulerCheck implements HealthCheck {
  private static final String MOST_OVERDUE = """
      select name, extract(epoch from now() - next_run_at)::double precision as lag
        from scheduler_jobs
       where enabled and next_run_at < now()
       order by next_run_at limit 1""";

  private static final String STUCK_RUNS = """
      select r.id, r.job_id, extract(epoch from now() - r.started_at)::double precision as running_seconds,
             j.timeout_seconds
        from job_runs r join scheduler_jobs j on j.name = r.job_id
       where r.status = 'running' and r.started_at < now() - make_interval(secs => j.timeout_seconds)
       order by r.started_at""";

  private final Duration lagMax;
  private final Duration lagUnhealthy;

  SchedulerCheck(Duration lagMax, Duration lagUnhealthy) {
    this.lagMax = lagMax;
    this.lagUnhealthy = lagUnhealthy;
  }

  @Override
  public String component() {
    return "scheduler";
  }

  @Override
  public Finding check(Handle h) {
    Map<String, Object> overdue = h.createQuery(MOST_OVERDUE).mapToMap().findOne().orElse(Map.of());
    double lag = overdue.isEmpty() ? 0 : (Double) overdue.get("lag");
    List<Map<String, Object>> stuck = h.createQuery(STUCK_RUNS).mapToMap().list();
    ObjectNode details = Json.object().put("lag_seconds", Math.round(lag))
        .put("most_overdue_job", (String) overdue.get("name"))
        .put("lag_degraded_seconds", lagMax.toSeconds()).put("lag_unhealthy_seconds", lagUnhealthy.toSeconds())
        .put("stuck_runs", stuck.size());
    details.set("stuck", stuckRuns(stuck));
    return new Finding(status(lag, stuck.size()), details);
  }

  private HealthStatus status(double lagSeconds, int stuckRuns) {
    if (lagSeconds > lagUnhealthy.toSeconds()) {
      return HealthStatus.UNHEALTHY;
    }
    return lagSeconds > lagMax.toSeconds() || stuckRuns > 0 ? HealthStatus.DEGRADED : HealthStatus.HEALTHY;
  }

  private static ArrayNode stuckRuns(List<Map<String, Object>> rows) {
    ArrayNode runs = Json.MAPPER.createArrayNode();
    rows.forEach(r -> runs.addObject().put("run_id", ((Number) r.get("id")).longValue()).put("job", (String) r.get("job_id"))
        .put("running_seconds", Math.round((Double) r.get("running_seconds")))
        .put("timeout_seconds", ((Number) r.get("timeout_seconds")).intValue()));
    return runs;
  }
}
