package io.planperfect.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.config.MaintenanceSettings;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Seed 003's monitoring queries 3–6 (monitoring_alerts, health_checks, metrics_data,
 * cleanup_logs), copied verbatim ({@code \s} keeps the seed's trailing space after SELECT), run
 * as written and answer with the rows a scheduled run wrote, and not a manual run's.
 */
class SeedSchedulerSqlTest {
  private static final String CHECK_MONITORING_ALERTS = """
      -- Check monitoring alerts
      SELECT\s
          timestamp,
          alert_type,
          severity,
          message,
          status
      FROM monitoring_alerts
      WHERE metadata->>'trigger_type' = 'scheduled'
      ORDER BY timestamp DESC
      LIMIT 10;""";

  private static final String CHECK_HEALTH_CHECKS = """
      -- Check health check results
      SELECT\s
          timestamp,
          component,
          status,
          response_time_ms,
          details
      FROM health_checks
      WHERE metadata->>'trigger_type' = 'scheduled'
      ORDER BY timestamp DESC
      LIMIT 10;""";

  private static final String CHECK_METRICS_COLLECTION = """
      -- Check metrics collection
      SELECT\s
          timestamp,
          metric_type,
          metric_name,
          metric_value,
          metric_unit
      FROM metrics_data
      WHERE metadata->>'trigger_type' = 'scheduled'
      ORDER BY timestamp DESC
      LIMIT 10;""";

  private static final String CHECK_CLEANUP_LOGS = """
      -- Check cleanup activity
      SELECT\s
          timestamp,
          operation_type,
          table_name,
          records_processed,
          records_deleted,
          duration_ms,
          status
      FROM cleanup_logs
      WHERE metadata->>'trigger_type' = 'scheduled'
      ORDER BY timestamp DESC
      LIMIT 10;""";

  @BeforeAll
  static void scheduledAndManualRuns() throws Exception {
    TestDatabase.clean();
    MaintenanceSettings settings = MaintenanceSettings.defaults();
    Fixtures.deadLetters("content", 6, Duration.ofMinutes(5));
    Fixtures.sql("insert into cluster_nodes (node_id, last_seen_at) values ('node-1', now())");
    new HealthChecks(TestDatabase.jdbi(), settings).run(Fixtures.manual("content_pipeline_health"));
    new Monitor(TestDatabase.jdbi(), settings).run(Fixtures.scheduled("content_pipeline_monitor"));
    new HealthChecks(TestDatabase.jdbi(), settings).run(Fixtures.scheduled("content_pipeline_health"));
    new MetricsCollector(TestDatabase.jdbi(), settings).run(Fixtures.scheduled("content_pipeline_metrics"));
    new Cleanup(TestDatabase.jdbi(), settings).run(Fixtures.scheduled("content_pipeline_cleanup"));
  }

  private static List<Map<String, Object>> rows(String sql) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  @Test
  void check_monitoring_alerts_lists_the_alert_the_scheduled_monitor_raised() {
    assertThat(rows(CHECK_MONITORING_ALERTS)).singleElement().satisfies(r -> assertThat(r)
        .containsEntry("alert_type", "dead_letters").containsEntry("severity", "warning").containsEntry("status", "active")
        .containsKeys("timestamp", "message"));
  }

  @Test
  void check_health_checks_lists_the_four_components_of_the_scheduled_run_only() {
    assertThat(rows(CHECK_HEALTH_CHECKS)).extracting(r -> r.get("component"))
        .containsExactlyInAnyOrder("database", "queues", "workers", "scheduler");
    assertThat(rows(CHECK_HEALTH_CHECKS)).allSatisfy(r -> assertThat(r)
        .containsEntry("status", "healthy").containsKeys("timestamp", "response_time_ms", "details"));
  }

  @Test
  void check_metrics_collection_lists_ten_metrics_of_the_scheduled_run() {
    assertThat(rows(CHECK_METRICS_COLLECTION)).hasSize(10).allSatisfy(r -> assertThat(r)
        .containsKeys("timestamp", "metric_type", "metric_name", "metric_value", "metric_unit"));
  }

  @Test
  void check_cleanup_logs_lists_one_row_per_cleaned_table() {
    assertThat(rows(CHECK_CLEANUP_LOGS)).hasSize(10).allSatisfy(r -> assertThat(r)
        .containsEntry("operation_type", Cleanup.OPERATION).containsEntry("status", "success")
        .containsKeys("timestamp", "table_name", "records_processed", "records_deleted", "duration_ms"));
  }
}
