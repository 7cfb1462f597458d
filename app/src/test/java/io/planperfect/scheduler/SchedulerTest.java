package io.planperfect.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.config.SchedulerSettings;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler loop against a real database, with several schedulers (each as a node would run
 * it) competing for the same jobs. The default jobs are switched off so only each test's own job runs.
 */
class SchedulerTest {
  private static final SchedulerSettings FAST = new SchedulerSettings(true, ZoneOffset.UTC, Duration.ofMillis(100));
  private final List<Scheduler> schedulers = new ArrayList<>();
  private final List<ClusterNodes> nodes = new ArrayList<>();
  private final AtomicInteger executions = new AtomicInteger();
  private final Jdbi jdbi = TestDatabase.jdbi();

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set enabled = false"));
  }

  @AfterEach
  void stop() {
    schedulers.forEach(Scheduler::close);
    nodes.forEach(ClusterNodes::close);
  }

  private Map<String, ScheduledAction> actions() {
    return Map.of(
        "count", run -> Json.object().put("execution", executions.incrementAndGet()),
        "boom", run -> {
          throw new IllegalStateException("the monitor could not reach its target");
        },
        "slow", run -> {
          // why: a run that outlives the test's wait; the scheduler must interrupt or time it out
          Thread.sleep(30_000);
          return Json.object();
        });
  }

  private void startSchedulers(int count) {
    for (int i = 0; i < count; i++) {
      ClusterNodes node = new ClusterNodes(jdbi, Json.object()).start();
      nodes.add(node);
      Scheduler scheduler = new Scheduler(new SchedulerJobs(jdbi), node, actions(), FAST);
      scheduler.start();
      schedulers.add(scheduler);
    }
  }

  private void addJob(String name, String schedule, String action, int timeoutSeconds) {
    jdbi.useHandle(h -> h.createUpdate("""
            insert into scheduler_jobs (name, schedule, action, command, timeout_seconds)
            values (:name, :schedule, :action, 'SELECT 1;', :timeout)""")
        .bind("name", name).bind("schedule", schedule).bind("action", action).bind("timeout", timeoutSeconds).execute());
  }

  private static long runs(String job, String condition) {
    return TestDatabase.count("select count(*) from job_runs where job_id = ? and " + condition, job);
  }

  @Test
  void each_tick_of_a_job_runs_once_across_three_competing_schedulers() throws Exception {
    addJob("tick", "* * * * * *", "count", 10);
    startSchedulers(3);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("tick", "status = 'success'") >= 6);
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set enabled = false where name = 'tick'"));
    // why: a tick claimed just before the disable finishes (its action may not have run yet on a loaded
    // machine); the gaps and the executions are read once no run is in flight (no claim follows the disable)
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("tick", "status = 'running'") == 0);

    List<Instant> ticks = jdbi.withHandle(h -> h.createQuery(
            "select scheduled_for from job_runs where job_id = 'tick' order by scheduled_for")
        .mapTo(java.time.OffsetDateTime.class).map(t -> t.toInstant()).list());
    assertThat(ticks).doesNotHaveDuplicates();
    for (int i = 1; i < ticks.size(); i++) {
      assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("gap before tick %d", i).isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(executions.get()).isEqualTo(ticks.size());
  }

  @Test
  void a_disabled_job_stops_running_and_runs_again_when_enabled() throws Exception {
    addJob("tick", "* * * * * *", "count", 10);
    startSchedulers(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "true") >= 2);

    jdbi.useHandle(h -> h.execute("select * from toggle_cron_job('tick', false)"));
    // why: a tick claimed just before the toggle may still be recorded
    Thread.sleep(300);
    long whenDisabled = runs("tick", "true");
    // why: a deliberate gap of two ticks and more, in which a disabled job must not run
    Thread.sleep(2500);
    assertThat(runs("tick", "true")).isEqualTo(whenDisabled);

    jdbi.useHandle(h -> h.execute("select * from toggle_cron_job('tick', true)"));
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "true") >= whenDisabled + 2);
  }

  @Test
  void a_trigger_from_sql_runs_the_job_once_even_with_three_schedulers() throws Exception {
    startSchedulers(3);
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set action = 'count' where name = 'content_pipeline_sweeper'"));
    jdbi.useHandle(h -> h.createQuery("select trigger_sweeper()").mapTo(String.class).one());

    await().atMost(Duration.ofSeconds(20)).until(() -> runs("content_pipeline_sweeper", "status = 'success'") == 1);
    // why: a deliberate gap in which another scheduler could run the trigger a second time
    Thread.sleep(1000);
    assertThat(runs("content_pipeline_sweeper", "true")).isEqualTo(1);
    assertThat(runs("content_pipeline_sweeper", "metadata->>'trigger_type' = 'manual' and scheduled_for is null")).isEqualTo(1);
    assertThat(executions.get()).isEqualTo(1);
  }

  @Test
  void a_trigger_with_no_scheduler_running_runs_once_when_one_starts() {
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set action = 'count' where name = 'content_pipeline_cleanup'"));
    jdbi.useHandle(h -> h.createQuery("select trigger_cleanup()").mapTo(String.class).one());
    assertThat(runs("content_pipeline_cleanup", "true")).isZero();

    startSchedulers(2);
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("content_pipeline_cleanup", "status = 'success'") == 1);
    assertThat(executions.get()).isEqualTo(1);
  }

  @Test
  void a_failing_run_records_its_error_and_lowers_the_success_rate() {
    addJob("checker", "0 0 1 1 *", "count", 10);
    startSchedulers(1);
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set trigger_requested_at = clock_timestamp() where name = 'checker'"));
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("checker", "status = 'success'") == 1);

    jdbi.useHandle(h -> h.execute("""
        update scheduler_jobs set action = 'boom', trigger_requested_at = clock_timestamp() where name = 'checker'"""));
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("checker", "status = 'failed'") == 1);

    assertThat(TestDatabase.count("""
        select count(*) from job_runs where job_id = 'checker' and status = 'failed'
           and error_message = 'the monitor could not reach its target'
           and metadata->>'error_class' = 'java.lang.IllegalStateException'
           and completed_at is not null and processing_time_ms >= 0""")).isEqualTo(1);
    var health = jdbi.withHandle(h -> h.createQuery(
            "select status, error_count, success_rate from get_scheduler_health() where component = 'checker'")
        .mapToMap().one());
    assertThat(health.get("status")).isEqualTo("unhealthy");
    assertThat(((Number) health.get("error_count")).longValue()).isEqualTo(1);
    assertThat(((Number) health.get("success_rate")).doubleValue()).isEqualTo(50.0);
  }

  @Test
  void a_run_that_outlives_its_timeout_is_interrupted_and_recorded_as_timeout() {
    addJob("stuck", "0 0 1 1 *", "slow", 1);
    startSchedulers(1);
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set trigger_requested_at = clock_timestamp() where name = 'stuck'"));
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("stuck", "status = 'timeout'") == 1);
    assertThat(runs("stuck", "error_message like '%timeout of 1 s%'")).isEqualTo(1);
  }

  @Test
  void a_job_with_an_unknown_action_fails_with_a_message_naming_it() {
    addJob("mystery", "0 0 1 1 *", "trigger_nothing", 10);
    startSchedulers(1);
    jdbi.useHandle(h -> h.execute("update scheduler_jobs set trigger_requested_at = clock_timestamp() where name = 'mystery'"));
    await().atMost(Duration.ofSeconds(20)).until(() -> runs("mystery", "status = 'failed'") == 1);
    assertThat(runs("mystery", "error_message = 'no action named ''trigger_nothing'' on this node'")).isEqualTo(1);
  }

  @Test
  void ticks_missed_while_every_node_was_down_produce_one_catch_up_run() throws Exception {
    addJob("minutely", "* * * * *", "count", 10);
    // The job's last known due time is 5 minutes ago: every node was down across five ticks.
    jdbi.useHandle(h -> h.execute("""
        update scheduler_jobs set next_run_at = date_trunc('minute', now()) - interval '5 minutes' where name = 'minutely'"""));
    startSchedulers(2);

    await().atMost(Duration.ofSeconds(20)).until(() -> runs("minutely", "status = 'success'") >= 1);
    // why: a deliberate gap in which the other scheduler could catch up the skipped ticks
    Thread.sleep(1500);
    // why "before the current minute": a new minute may begin during the test and bring its own run.
    assertThat(runs("minutely", "scheduled_for < date_trunc('minute', now()) - interval '10 seconds'")).isEqualTo(1);
    assertThat(runs("minutely", "(metadata->>'missed_ticks_skipped')::boolean")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from scheduler_jobs where name = 'minutely' and next_run_at > now()"))
        .isEqualTo(1);
  }

  @Test
  void a_due_time_that_already_has_a_run_moves_on_without_holding_up_other_jobs() {
    addJob("a_repeated", "* * * * * *", "count", 10);
    addJob("b_other", "* * * * * *", "count", 10);
    // An operator set next_run_at back to a time that already ran.
    jdbi.useHandle(h -> h.execute("""
        insert into job_runs (job_id, status, scheduled_for, completed_at)
        values ('a_repeated', 'success', date_trunc('second', now()) - interval '2 seconds', now());
        update scheduler_jobs set next_run_at = date_trunc('second', now()) - interval '2 seconds' where name = 'a_repeated';"""));
    startSchedulers(1);

    await().atMost(Duration.ofSeconds(10)).until(() -> runs("b_other", "status = 'success'") >= 2
        && runs("a_repeated", "status = 'success'") >= 3);
    assertThat(TestDatabase.count(
        "select count(*) from (select scheduled_for from job_runs where job_id = 'a_repeated' group by 1 having count(*) > 1) d"))
        .isZero();
  }

  @Test
  void a_run_whose_end_was_never_recorded_stops_holding_its_job_after_its_timeout() {
    addJob("tick", "* * * * * *", "count", 10);
    // The node is alive and beating, but the end of its run never reached the database.
    jdbi.useHandle(h -> h.execute("""
        insert into cluster_nodes (node_id, last_seen_at) values ('alive:1:x', now() + interval '1 hour');
        insert into job_runs (job_id, status, started_at, node_id) values ('tick', 'running', now() - interval '2 minutes', 'alive:1:x');"""));
    startSchedulers(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "status = 'abandoned' and node_id = 'alive:1:x'") == 1);
    assertThat(runs("tick", "error_message like '%outlived its timeout%'")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "status = 'success'") >= 1);
  }

  @Test
  void ticks_a_few_seconds_late_each_still_run() {
    addJob("tick", "* * * * * *", "count", 10);
    // Three ticks are due, the oldest 3 s ago: within the misfire grace, so each runs for its own time.
    jdbi.useHandle(h -> h.execute("""
        update scheduler_jobs set next_run_at = date_trunc('second', now()) - interval '3 seconds' where name = 'tick'"""));
    long dueAt = TestDatabase.count("select extract(epoch from next_run_at)::bigint from scheduler_jobs where name = 'tick'");
    startSchedulers(1);

    await().atMost(Duration.ofSeconds(5)).until(() -> TestDatabase.count(
        "select count(*) from job_runs where job_id = 'tick' and scheduled_for <= to_timestamp(?) + interval '3 seconds'",
        dueAt) == 4);
  }

  @Test
  void a_node_that_stopped_mid_run_leaves_a_run_marked_abandoned_that_no_longer_blocks_the_job() {
    addJob("tick", "* * * * * *", "count", 10);
    jdbi.useHandle(h -> h.execute("""
        insert into job_runs (job_id, status, started_at, node_id) values ('tick', 'running', now() - interval '2 minutes', 'gone:1:x')"""));
    startSchedulers(1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "status = 'abandoned' and node_id = 'gone:1:x'") == 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> runs("tick", "status = 'success'") >= 1);
  }
}
