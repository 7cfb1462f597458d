package io.planperfect.maintenance;

import static io.planperfect.maintenance.Fixtures.event;
import static io.planperfect.maintenance.Fixtures.job;
import static io.planperfect.maintenance.Fixtures.sql;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cleanup job: retention per table, never unfinished work, bounded batches, one log row per table. */
class CleanupTest {
  private static final List<String> RESULT_TABLES = List.of("sweeper_logs", "health_checks", "metrics_data", "cleanup_logs");

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  private static ObjectNode cleanup(MaintenanceSettings settings) {
    return new Cleanup(TestDatabase.jdbi(), settings).run(Fixtures.scheduled("content_pipeline_cleanup"));
  }

  private static void archived(long msgId, int daysAgo) {
    sql("""
        insert into queue_archive (msg_id, queue_name, stage, priority, enqueued_at, vt, read_ct, message, archived_at)
        values (?, 'content', 'draft', 0, now() - make_interval(days => ?), now(), 1, '{}', now() - make_interval(days => ?))""",
        msgId, daysAgo, daysAgo);
  }

  private static void resultRow(String table, int daysAgo) {
    String columns = switch (table) {
      case "sweeper_logs" -> "(action, status, timestamp) values ('sweep', 'success', now() - make_interval(days => ?))";
      case "health_checks" -> "(component, status, timestamp) values ('database', 'healthy', now() - make_interval(days => ?))";
      case "metrics_data" -> "(metric_type, metric_name, metric_value, timestamp) values ('t', 'n', 1, now() - make_interval(days => ?))";
      case "cleanup_logs" -> "(operation_type, table_name, status, timestamp) values ('x', 'y', 'success', now() - make_interval(days => ?))";
      default -> throw new IllegalArgumentException(table);
    };
    sql("insert into " + table + " " + columns, daysAgo);
  }

  private static Map<String, Object> logRow(String table) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select status, records_processed, records_deleted, duration_ms, error_details::text as error_details,
                   metadata::text as metadata
              from cleanup_logs where table_name = :table and operation_type = :operation""")
        .bind("table", table).bind("operation", Cleanup.OPERATION).mapToMap().one());
  }

  private static long deletedFrom(String table) {
    return ((Number) logRow(table).get("records_deleted")).longValue();
  }

  @Test
  void deletes_only_rows_older_than_retention_in_each_table_and_logs_one_row_per_table() {
    archived(1, 8);
    archived(2, 6);
    UUID done = job("content", "completed");
    event(done, "content", "draft", "completed", Duration.ofDays(31));
    event(done, "content", "draft", "completed", Duration.ofDays(29));
    sql("""
        insert into job_runs (job_id, status, started_at, completed_at) values
          ('content_pipeline_sweeper', 'success', now() - interval '31 days', now() - interval '31 days'),
          ('content_pipeline_sweeper', 'failed', now() - interval '29 days', now() - interval '29 days')""");
    for (String table : RESULT_TABLES) {
      resultRow(table, 31);
      resultRow(table, 29);
    }
    sql("""
        insert into monitoring_alerts (alert_type, alert_key, severity, message, status, timestamp, resolved_at) values
          ('dead_letters', 'content', 'warning', 'old', 'resolved', now() - interval '32 days', now() - interval '31 days'),
          ('dead_letters', 'content', 'warning', 'recent', 'resolved', now() - interval '30 days', now() - interval '29 days')""");
    sql("""
        insert into cluster_nodes (node_id, last_seen_at) values
          ('gone', now() - interval '25 hours'), ('alive', now() - interval '1 hour')""");
    sql("""
        insert into idempotency_keys (scope, idempotency_key, request_hash, answer, created_at) values
          ('anon', 'expired', 'h', '{}', now() - interval '25 hours'), ('anon', 'live', 'h', '{}', now() - interval '23 hours')""");

    ObjectNode summary = cleanup(MaintenanceSettings.defaults());

    assertThat(TestDatabase.count("select count(*) from queue_archive where msg_id = 2")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_archive")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where created_at > now() - interval '30 days'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_runs")).isEqualTo(1);
    for (String table : List.of("sweeper_logs", "health_checks", "metrics_data")) {
      assertThat(TestDatabase.count("select count(*) from " + table)).as(table).isEqualTo(1);
    }
    assertThat(TestDatabase.count("select count(*) from monitoring_alerts")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from cluster_nodes where node_id = 'alive'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from cluster_nodes")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ?", done)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from idempotency_keys where idempotency_key = 'live'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from idempotency_keys")).isEqualTo(1);

    assertThat(TestDatabase.count("select count(*) from cleanup_logs where metadata->>'trigger_type' = 'scheduled'")).isEqualTo(10);
    assertThat(TestDatabase.count("select count(*) from cleanup_logs where timestamp < now() - interval '30 days'")).isZero();
    for (String table : List.of("queue_archive", "job_events", "job_runs", "sweeper_logs", "health_checks", "metrics_data",
        "monitoring_alerts", "cleanup_logs", "cluster_nodes", "idempotency_keys")) {
      assertThat(logRow(table)).as(table).containsEntry("status", "success").containsEntry("records_processed", 1)
          .containsEntry("records_deleted", 1);
    }
    assertThat(summary.get("deleted").asLong()).isEqualTo(10);
  }

  @Test
  void deleting_archived_messages_keeps_the_queues_total_of_messages_ever_sent() {
    archived(1, 10);
    archived(2, 9);
    archived(3, 1);
    long before = TestDatabase.count("select total_messages from pgmq.queue_metrics('content')");

    cleanup(MaintenanceSettings.defaults());

    assertThat(TestDatabase.count("select count(*) from queue_archive")).isEqualTo(1);
    assertThat(TestDatabase.count("select total_messages from pgmq.queue_metrics('content')")).isEqualTo(before);
  }

  @Test
  void never_deletes_jobs_live_messages_running_runs_active_alerts_or_the_trail_of_unfinished_jobs() {
    UUID running = job("content", "processing");
    UUID waitingForReplay = job("content", "failed");
    UUID failedAndClosed = job("content", "failed");
    for (UUID job : List.of(running, waitingForReplay, failedAndClosed)) {
      event(job, "content", "draft", "error", Duration.ofDays(90));
    }
    sql("insert into dead_letters (pipeline, queue_name, job_id, stage, payload) values ('content', 'content', ?, 'draft', '{}')",
        waitingForReplay);
    sql("""
        insert into dead_letters (pipeline, queue_name, job_id, stage, payload, resolved_at, resolution)
        values ('content', 'content', ?, 'draft', '{}', now(), 'discarded')""", failedAndClosed);
    sql("update jobs set created_at = now() - interval '400 days'");
    sql("""
        insert into queue_messages (queue_name, stage, job_id, enqueued_at, vt, message)
        values ('content', 'draft', ?, now() - interval '90 days', now() - interval '90 days', '{}')""", running);
    sql("insert into job_runs (job_id, status, started_at) values ('content_pipeline_cleanup', 'running', now() - interval '90 days')");
    sql("""
        insert into monitoring_alerts (alert_type, alert_key, severity, message, timestamp)
        values ('stalled_stage', 'content:draft', 'critical', 'still true', now() - interval '90 days')""");

    cleanup(MaintenanceSettings.defaults());

    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_runs where status = 'running'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from monitoring_alerts where status = 'active'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ?", running)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ?", waitingForReplay)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ?", failedAndClosed)).isZero();
  }

  @Test
  void deletes_in_bounded_batches_until_no_old_row_is_left() {
    for (int i = 0; i < 5; i++) {
      resultRow("health_checks", 40);
    }

    cleanup(MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_CLEANUP_BATCH_SIZE", "2")));

    assertThat(TestDatabase.count("select count(*) from health_checks")).isZero();
    assertThat(deletedFrom("health_checks")).isEqualTo(5);
    assertThat(Json.read((String) logRow("health_checks").get("metadata")).get("batches").asInt()).isEqualTo(3);
  }

  @Test
  void the_event_trail_past_retention_is_deleted_batch_after_batch_behind_the_old_trail_of_unfinished_jobs() {
    UUID running = job("content", "processing");
    UUID done = job("content", "completed");
    for (int i = 0; i < 7; i++) {
      event(running, "content", "draft", "processing", Duration.ofDays(60));
      event(done, "content", "draft", "completed", Duration.ofDays(50));
    }
    event(done, "content", "draft", "job_completed", Duration.ofDays(1));

    cleanup(MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_CLEANUP_BATCH_SIZE", "3")));

    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ?", done)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ?", running)).isEqualTo(7);
    assertThat(deletedFrom("job_events")).isEqualTo(7);
  }

  @Test
  void a_run_reads_the_event_table_once_in_batches_and_stops_at_the_first_batch_with_nothing_past_retention() {
    UUID done = job("content", "completed");
    for (int i = 0; i < 4; i++) {
      event(done, "content", "draft", "completed", Duration.ofDays(40));
    }
    for (int i = 0; i < 6; i++) {
      event(done, "content", "draft", "completed", Duration.ofDays(1));
    }

    cleanup(MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_CLEANUP_BATCH_SIZE", "2")));

    assertThat(TestDatabase.count("select count(*) from job_events")).isEqualTo(6);
    // two batches of old events, then one of young ones that ends the run: the other four are not read
    assertThat(Json.read((String) logRow("job_events").get("metadata")).get("batches").asInt()).isEqualTo(3);
  }

  @Test
  void archived_messages_past_retention_are_deleted_in_batches_and_the_queues_total_is_kept() {
    for (long id = 1; id <= 7; id++) {
      archived(id, 10);
    }
    archived(8, 1);
    long before = TestDatabase.count("select total_messages from pgmq.queue_metrics('content')");

    cleanup(MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_CLEANUP_BATCH_SIZE", "3")));

    assertThat(TestDatabase.count("select count(*) from queue_archive")).isEqualTo(1);
    assertThat(deletedFrom("queue_archive")).isEqualTo(7);
    assertThat(TestDatabase.count("select total_messages from pgmq.queue_metrics('content')")).isEqualTo(before);
  }

  @Test
  void retention_ages_come_from_the_settings() {
    archived(1, 3);
    archived(2, 1);

    cleanup(MaintenanceSettings.fromEnvironment(Map.of("PLANPERFECT_RETENTION_ARCHIVE_DAYS", "2")));

    assertThat(TestDatabase.count("select count(*) from queue_archive where msg_id = 2")).isEqualTo(1);
    assertThat(deletedFrom("queue_archive")).isEqualTo(1);
  }

  @Test
  void a_table_that_fails_is_logged_failed_with_the_error_and_the_other_tables_are_still_cleaned() {
    for (String table : RESULT_TABLES) {
      resultRow(table, 40);
    }
    sql("""
        create function fail_metrics_delete() returns trigger language plpgsql as $$
        begin raise exception 'metrics_data is read-only today'; end $$;
        create trigger fail_metrics_delete before delete on metrics_data for each row execute function fail_metrics_delete();""");
    try {
      assertThatThrownBy(() -> cleanup(MaintenanceSettings.defaults()))
          .hasMessageContaining("metrics_data").hasMessageContaining("cleanup_logs");
    } finally {
      sql("drop trigger fail_metrics_delete on metrics_data; drop function fail_metrics_delete();");
    }

    assertThat(logRow("metrics_data")).containsEntry("status", "failed").containsEntry("records_deleted", 0);
    JsonNode error = Json.read((String) logRow("metrics_data").get("error_details"));
    assertThat(error.get("message").asText()).contains("metrics_data is read-only today");
    assertThat(error.get("sqlstate").asText()).isEqualTo("P0001");
    assertThat(TestDatabase.count("select count(*) from metrics_data")).isEqualTo(1);
    for (String table : List.of("sweeper_logs", "health_checks", "cleanup_logs", "queue_archive", "cluster_nodes")) {
      assertThat(logRow(table)).as(table).containsEntry("status", "success");
    }
    assertThat(TestDatabase.count("select count(*) from sweeper_logs")).isZero();
    assertThat(TestDatabase.count("select count(*) from health_checks")).isZero();
  }
}
