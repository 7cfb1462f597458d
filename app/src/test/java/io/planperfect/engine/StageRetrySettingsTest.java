package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where a stage's attempt limit and retry delay come from: job > stage config row > stage
 * definition > pipeline definition > node environment; resolved when the stage's first attempt
 * begins. The middle stage of a three-stage pipeline always fails unless a test says otherwise.
 */
class StageRetrySettingsTest {
  private static final RetrySettings UNSET = RetrySettings.NONE;

  private final Map<UUID, AtomicInteger> middleRuns = new ConcurrentHashMap<>();
  private volatile StageHandler middle = context -> {
    throw new IllegalStateException("always broken");
  };
  private PlanPerfectNode node;
  private PipelineDefinition pipeline;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private void start(RetrySettings pipelineRetry, RetrySettings middleRetry) {
    start(pipelineRetry, middleRetry, Map.of());
  }

  private void start(RetrySettings pipelineRetry, RetrySettings middleRetry, Map<String, String> env) {
    StageHandler counting = context -> {
      middleRuns.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
      return middle.run(context);
    };
    pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("first", context -> StageOutcome.completed(Json.object().put("first", true))),
        new StageDefinition("middle", counting, middleRetry),
        new StageDefinition("last", context -> StageOutcome.completed(Json.object().put("last", true)))), pipelineRetry);
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)), env);
  }

  private UUID submit() {
    return submit(null, null);
  }

  private UUID submit(Integer maxAttempts, Integer retryDelaySeconds) {
    return node.intake().submit(new NewJob(pipeline, "article", null, Json.object().put("title", "t"), "first", 0,
        maxAttempts, retryDelaySeconds, null, null));
  }

  private static void sql(String statement) {
    TestDatabase.jdbi().useHandle(h -> h.execute(statement));
  }

  private static String status(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("select status from jobs where id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  /** Waits for the job to fail and answers how many times its middle stage ran. */
  private int runsUntilDeadLettered(UUID job) {
    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("failed"));
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and stage = 'middle'", job)).isEqualTo(1);
    return middleRuns.get(job).get();
  }

  private static long middleMaxAttempts(UUID job) {
    return TestDatabase.count("select max_attempts from job_stages where job_id = ? and stage = 'middle'", job);
  }

  @Test
  void a_stage_config_max_attempts_of_n_dead_letters_after_exactly_n_attempts() {
    start(UNSET, UNSET);
    sql("update content_stage_config set max_attempts = 5 where queue = 'content' and stage = 'middle'");

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(5);
    assertThat(TestDatabase.count("select attempt_count from dead_letters where job_id = ?", job)).isEqualTo(5);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'retry_scheduled'", job)).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'error'", job)).isEqualTo(5);
    assertThat(middleMaxAttempts(job)).isEqualTo(5);
  }

  @Test
  void a_stage_config_retry_delay_is_the_base_of_the_backoff() {
    start(UNSET, UNSET);
    sql("update content_stage_config set retry_delay_seconds = 20 where queue = 'content' and stage = 'middle'");

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'retry_scheduled'", job) == 1);
    double delaySeconds = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select extract(epoch from next_retry_at - finished_at) from job_stages where job_id = :id and stage = 'middle'""")
        .bind("id", job).mapTo(Double.class).one());
    assertThat(delaySeconds).as("first retry after 20 s ± 20%% jitter").isBetween(16.0, 24.0);
    assertThat(TestDatabase.count("select retry_delay_seconds from job_stages where job_id = ? and stage = 'middle'", job))
        .isEqualTo(20);
    assertThat(middleRuns.get(job).get()).isEqualTo(1);
  }

  @Test
  void a_pipeline_setting_applies_when_neither_the_stage_nor_the_job_sets_one() {
    start(new RetrySettings(2, null), UNSET);

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(2);
    assertThat(TestDatabase.count("select max_attempts from jobs where id = ?", job)).isEqualTo(2);
  }

  @Test
  void a_stage_definition_setting_overrides_the_pipeline_s() {
    start(new RetrySettings(2, null), new RetrySettings(4, null));

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(4);
    assertThat(TestDatabase.count("select max_attempts from job_stages where job_id = ? and stage = 'last'", job)).isEqualTo(2);
  }

  @Test
  void a_stage_config_row_overrides_the_stage_definition() {
    start(UNSET, new RetrySettings(4, null));
    sql("update content_stage_config set max_attempts = 2 where queue = 'content' and stage = 'middle'");

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(2);
  }

  @Test
  void a_job_s_intake_value_wins_over_the_stage_config() {
    start(UNSET, UNSET);
    sql("update content_stage_config set max_attempts = 4 where queue = 'content' and stage = 'middle'");

    UUID job = submit(2, null);

    assertThat(runsUntilDeadLettered(job)).isEqualTo(2);
    assertThat(middleMaxAttempts(job)).isEqualTo(2);
  }

  @Test
  void the_node_environment_applies_when_nothing_else_is_set() {
    start(UNSET, UNSET, Map.of("CONTENT_STAGE_MAX_ATTEMPTS", "2"));

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(2);
  }

  @Test
  void a_stage_config_change_reaches_a_job_whose_stage_has_not_begun() {
    start(UNSET, UNSET);
    sql("update content_stage_config set enabled = false where queue = 'content' and stage = 'middle'");
    UUID job = submit();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'middle' and status = 'queued'", job) == 1);

    sql("update content_stage_config set max_attempts = 2, enabled = true where queue = 'content' and stage = 'middle'");

    assertThat(runsUntilDeadLettered(job)).isEqualTo(2);
  }

  @Test
  void a_stage_config_change_leaves_a_stage_already_begun_with_its_settings() {
    start(UNSET, UNSET);
    middle = context -> {
      if (context.attempt() == 1) {
        sql("update content_stage_config set max_attempts = 5 where queue = 'content' and stage = 'middle'");
      }
      throw new IllegalStateException("always broken");
    };

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).as("the node's 3, resolved when attempt 1 began").isEqualTo(3);
  }

  @Test
  void a_running_stage_s_row_updated_by_sql_governs_its_remaining_attempts() {
    start(UNSET, UNSET);
    middle = context -> {
      if (context.attempt() == 1) {
        TestDatabase.jdbi().useHandle(h -> h.createUpdate(
                "update content_job_stages set max_attempts = 5 where job_id = :id and stage = 'middle' and status = 'processing'")
            .bind("id", context.jobId()).execute());
      }
      throw new IllegalStateException("always broken");
    };

    UUID job = submit();

    assertThat(runsUntilDeadLettered(job)).isEqualTo(5);
  }

  @Test
  void a_replayed_dead_letter_begins_again_with_the_stage_config_of_the_moment() {
    start(UNSET, UNSET);
    UUID job = submit();
    assertThat(runsUntilDeadLettered(job)).isEqualTo(3);
    sql("update content_stage_config set max_attempts = 1 where queue = 'content' and stage = 'middle'");
    long letter = TestDatabase.count("select id from dead_letters where job_id = ?", job);

    Http.Response replay = new Http(node.port(), TestNode.SERVICE_KEY).post("/api/v1/dead-letters/" + letter + "/replay", "");

    assertThat(replay.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from dead_letters where job_id = ? and resolved_at is null", job) == 1);
    assertThat(middleRuns.get(job).get()).isEqualTo(4);
    assertThat(middleMaxAttempts(job)).isEqualTo(1);
  }

  @Test
  void a_stage_that_recovers_completes_within_its_stage_config_attempts() {
    start(UNSET, UNSET);
    sql("update content_stage_config set max_attempts = 5 where queue = 'content' and stage = 'middle'");
    middle = context -> {
      if (context.attempt() < 5) {
        throw new IllegalStateException("transient failure " + context.attempt());
      }
      return StageOutcome.completed(Json.object().put("middle", context.attempt()));
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("completed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(5);
    assertThat(TestDatabase.count("select count(*) from dead_letters")).isZero();
  }
}
