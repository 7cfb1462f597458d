package io.planperfect.maintenance;

import static io.planperfect.maintenance.Fixtures.ready;
import static io.planperfect.maintenance.Fixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The health job: one row per component with a status that follows the database, queues, nodes and scheduler. */
class HealthChecksTest {
  private final HealthChecks health = new HealthChecks(TestDatabase.jdbi(), MaintenanceSettings.defaults());

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private ObjectNode check() {
    return health.run(Fixtures.scheduled("content_pipeline_health"));
  }

  private static Map<String, Object> row(String component) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select status, response_time_ms, details::text as details, metadata::text as metadata
              from health_checks where component = :component""")
        .bind("component", component).mapToMap().one());
  }

  private static String status(String component) {
    return (String) row(component).get("status");
  }

  private static JsonNode details(String component) {
    return Json.read((String) row(component).get("details"));
  }

  private static void liveNode(String id, Duration seenAgo) {
    sql("insert into cluster_nodes (node_id, host, last_seen_at) values (?, 'host-a', now() - make_interval(secs => ?))",
        id, (double) seenAgo.toSeconds());
  }

  @Test
  void writes_one_row_per_component_with_the_trigger_type() {
    liveNode("node-1", Duration.ofSeconds(2));

    ObjectNode summary = check();

    assertThat(TestDatabase.count("select count(*) from health_checks")).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from health_checks where metadata->>'trigger_type' = 'scheduled'")).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from health_checks where response_time_ms >= 0")).isEqualTo(4);
    assertThat(summary.get("status").asText()).isEqualTo("healthy");
    assertThat(summary.get("components").fieldNames()).toIterable()
        .containsExactly("database", "queues", "workers", "scheduler");
  }

  @Test
  void reports_the_database_healthy_with_its_round_trip_and_version() {
    check();

    assertThat(status("database")).isEqualTo("healthy");
    assertThat(details("database").get("version").asText()).startsWith("PostgreSQL");
    assertThat(details("database").get("round_trip_ms").asDouble()).isBetween(0.0, 1000.0);
  }

  @Test
  void reports_workers_unhealthy_when_no_node_was_seen_within_30_seconds() {
    liveNode("gone", Duration.ofMinutes(5));

    ObjectNode summary = check();

    assertThat(status("workers")).isEqualTo("unhealthy");
    assertThat(details("workers").get("live_nodes").asInt()).isZero();
    assertThat(details("workers").get("known_nodes").asInt()).isEqualTo(1);
    assertThat(summary.get("status").asText()).isEqualTo("unhealthy");
  }

  @Test
  void reports_workers_healthy_with_one_live_node() {
    liveNode("node-1", Duration.ofSeconds(3));
    liveNode("gone", Duration.ofMinutes(5));

    check();

    assertThat(status("workers")).isEqualTo("healthy");
    assertThat(details("workers").get("live_nodes").asInt()).isEqualTo(1);
  }

  @Test
  void reports_the_scheduler_degraded_when_a_job_is_overdue_past_the_lag_limit() {
    sql("update scheduler_jobs set next_run_at = now() - interval '5 minutes' where name = 'content_pipeline_sweeper'");
    sql("update scheduler_jobs set next_run_at = now() + interval '5 minutes' where name <> 'content_pipeline_sweeper'");

    check();

    assertThat(status("scheduler")).isEqualTo("degraded");
    assertThat(details("scheduler").get("most_overdue_job").asText()).isEqualTo("content_pipeline_sweeper");
    assertThat(details("scheduler").get("lag_seconds").asLong()).isBetween(299L, 310L);
  }

  @Test
  void reports_the_scheduler_unhealthy_when_the_lag_passes_the_second_limit() {
    sql("update scheduler_jobs set next_run_at = now() - interval '20 minutes' where name = 'content_pipeline_metrics'");

    check();

    assertThat(status("scheduler")).isEqualTo("unhealthy");
  }

  @Test
  void ignores_overdue_jobs_that_are_disabled_and_is_healthy_when_nothing_is_late() {
    sql("update scheduler_jobs set next_run_at = now() + interval '1 minute'");
    sql("update scheduler_jobs set enabled = false, next_run_at = now() - interval '1 hour' where name = 'content_pipeline_cleanup'");

    check();

    assertThat(status("scheduler")).isEqualTo("healthy");
    assertThat(details("scheduler").get("lag_seconds").asLong()).isZero();
  }

  @Test
  void reports_a_run_still_running_past_its_timeout_as_stuck_and_the_scheduler_degraded() {
    sql("""
        insert into job_runs (job_id, status, started_at) values
          ('content_pipeline_health', 'running', now() - interval '10 minutes'),
          ('content_pipeline_cleanup', 'running', now() - interval '10 minutes')""");

    check();

    assertThat(status("scheduler")).isEqualTo("degraded");
    assertThat(details("scheduler").get("stuck_runs").asInt()).isEqualTo(1);
    assertThat(details("scheduler").get("stuck").get(0).get("job").asText()).isEqualTo("content_pipeline_health");
  }

  @Test
  void reports_queues_degraded_when_a_ready_message_waits_longer_than_the_threshold() {
    ready("content", "draft", Duration.ofMinutes(20));
    ready("schema", "generate", Duration.ofSeconds(10));

    check();

    assertThat(status("queues")).isEqualTo("degraded");
    JsonNode content = details("queues").get("queues").get("content");
    assertThat(content.get("ready").asInt()).isEqualTo(1);
    assertThat(content.get("oldest_ready_wait_seconds").asLong()).isBetween(1195L, 1210L);
    assertThat(details("queues").get("queues").get("schema").get("oldest_ready_wait_seconds").asLong()).isLessThan(60);
  }

  @Test
  void reports_queues_healthy_when_ready_messages_are_fresh() {
    ready("content", "draft", Duration.ofSeconds(5));

    check();

    assertThat(status("queues")).isEqualTo("healthy");
  }
}
