package io.planperfect.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 003's management functions and its monitoring queries of job_runs and sweeper_logs run as written. */
class SchedulerSqlTest {

  private static List<Map<String, Object>> rows(String sql) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void management_functions_list_the_seeds_jobs_with_their_schedules() {
    assertThat(rows("SELECT * FROM manage_cron_jobs();"))
        .extracting(r -> r.get("jobname") + " " + r.get("schedule"))
        .containsExactlyInAnyOrder(
            "content_pipeline_main */5 * * * *", "content_pipeline_sweeper */15 * * * *",
            "content_pipeline_monitor 0 * * * *", "content_pipeline_metrics */30 * * * *",
            "content_pipeline_health */10 * * * *", "content_pipeline_cleanup 0 2 * * *",
            "planperfect-content-queue-dispatcher */1 * * * *");
    assertThat(rows("SELECT * FROM get_cron_job_status();")).hasSize(7);
    assertThat(rows("SELECT * FROM get_scheduler_health();")).hasSize(7)
        .allSatisfy(r -> assertThat(r.get("status")).isEqualTo("healthy"));
    assertThat(rows("SELECT jobname, schedule FROM cron.job WHERE jobname LIKE 'content_pipeline_%';")).hasSize(6);
  }

  @Test
  void toggle_cron_job_answers_success_and_message_and_reports_unknown_jobs() {
    assertThat(rows("SELECT * FROM toggle_cron_job('content_pipeline_main', false);")).singleElement()
        .satisfies(r -> {
          assertThat(r.get("success")).isEqualTo(true);
          assertThat(r.get("message")).isEqualTo("Job disabled: content_pipeline_main");
        });
    assertThat(TestDatabase.count("select count(*) from scheduler_jobs where name = 'content_pipeline_main' and not enabled"))
        .isEqualTo(1);
    assertThat(rows("SELECT * FROM toggle_cron_job('content_pipeline_main', true);")).singleElement()
        .satisfies(r -> assertThat(r.get("message")).isEqualTo("Job enabled: content_pipeline_main"));
    assertThat(rows("SELECT * FROM toggle_cron_job('nope', true);")).singleElement()
        .satisfies(r -> assertThat(r.get("success")).isEqualTo(false));
  }

  @Test
  void trigger_functions_request_a_run_of_their_job() {
    for (String function : List.of("trigger_content_automation", "trigger_sweeper", "trigger_monitoring",
        "trigger_metrics_collection", "trigger_health_checks", "trigger_cleanup", "trigger_dispatcher")) {
      TestDatabase.jdbi().useHandle(h -> h.execute("SELECT " + function + "();"));
      assertThat(TestDatabase.count("select count(*) from scheduler_jobs where action = ? and trigger_requested_at is not null",
          function)).as(function).isEqualTo(1);
    }
    assertThatThrownBy(() -> TestDatabase.jdbi().useHandle(h -> h.execute("select request_scheduler_run('nope')")))
        .hasMessageContaining("scheduler job not found: nope");
  }

  @Test
  void initialize_scheduler_restores_a_deleted_default_job_and_reports_each_job() {
    TestDatabase.jdbi().useHandle(h -> h.execute("delete from scheduler_jobs where name = 'content_pipeline_monitor'"));
    List<Map<String, Object>> report = rows("SELECT * FROM initialize_scheduler();");
    assertThat(report).hasSize(7);
    assertThat(report).filteredOn(r -> r.get("job_name").equals("content_pipeline_monitor")).singleElement()
        .satisfies(r -> assertThat(r.get("status")).isEqualTo("waiting"));
    assertThat(TestDatabase.count("select count(*) from scheduler_jobs where name = 'content_pipeline_monitor' and schedule = '0 * * * *'"))
        .isEqualTo(1);
  }

  @Test
  void the_seeds_job_runs_and_sweeper_log_queries_run_as_written() {
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        insert into job_runs (job_id, status, started_at, completed_at, processing_time_ms, scheduled_for, metadata)
        values ('content_pipeline_sweeper', 'success', now(), now(), 12, date_trunc('minute', now()),
                '{"trigger_type": "scheduled", "function": "trigger_sweeper"}');
        insert into sweeper_logs (action, status, records_processed, duration_ms, metadata)
        values ('sweep', 'success', 0, 12, '{"trigger_type": "scheduled"}');"""));
    assertThat(rows("""
        SELECT\s
            jr.job_id,
            jr.status,
            jr.started_at,
            jr.completed_at,
            jr.processing_time_ms,
            jr.error_message,
            jr.metadata->>'function' as function_name
        FROM job_runs jr
        WHERE jr.metadata->>'trigger_type' = 'scheduled'
        ORDER BY jr.started_at DESC
        LIMIT 10;""")).singleElement().satisfies(r -> assertThat(r.get("function_name")).isEqualTo("trigger_sweeper"));
    assertThat(rows("""
        SELECT\s
            timestamp,
            action,
            status,
            records_processed,
            duration_ms,
            error_details
        FROM sweeper_logs
        WHERE metadata->>'trigger_type' = 'scheduled'
        ORDER BY timestamp DESC
        LIMIT 10;""")).hasSize(1);
  }
}
