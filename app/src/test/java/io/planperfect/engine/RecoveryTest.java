package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Cancel, heartbeats, stage timeouts, lease fencing and dead-letter replay on a three-stage pipeline. */
class RecoveryTest {
  private static final PipelineDefinition SHAPE = pipeline(c -> null);

  private final Map<UUID, AtomicInteger> middleRuns = new ConcurrentHashMap<>();
  private volatile StageHandler middle = context -> StageOutcome.completed(Json.object().put("middle", true));
  private PlanPerfectNode node;

  private static PipelineDefinition pipeline(StageHandler middle) {
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("first", context -> StageOutcome.completed(Json.object().put("first", true))),
        new StageDefinition("middle", middle),
        new StageDefinition("last", context -> StageOutcome.completed(Json.object().put("last", true)))));
  }

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

  private void start(Map<String, String> env) {
    node = TestNode.start(new PipelineRegistry(List.of(pipeline(context -> {
      middleRuns.computeIfAbsent(context.jobId(), id -> new AtomicInteger()).incrementAndGet();
      return middle.run(context);
    }))), env);
  }

  private UUID submit() {
    return node.intake().submit(new NewJob(SHAPE, "article", null, Json.object().put("title", "t"), "first", 0));
  }

  private static String status(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery("select status from jobs where id = :id")
        .bind("id", job).mapTo(String.class).one());
  }

  private static long events(UUID job, String type) {
    return TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = ?", job, type);
  }

  private Http service() {
    return new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @Test
  void a_queued_job_is_cancelled_its_messages_removed_and_a_second_cancel_is_409() {
    start(Map.of());
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where stage = 'first'"));
    UUID job = submit();

    Http.Response cancel = service().post("/api/v1/jobs/" + job + "/cancel", "");
    Http.Response again = service().post("/api/v1/jobs/" + job + "/cancel", "");

    assertThat(cancel.status()).isEqualTo(200);
    assertThat(status(job)).isEqualTo("cancelled");
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ?", job)).isZero();
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and status = 'cancelled'", job)).isEqualTo(3);
    assertThat(events(job, "cancelled")).isEqualTo(1);
    assertThat(again.status()).isEqualTo(409);
    assertThat(service().post("/api/v1/jobs/" + UUID.randomUUID() + "/cancel", "").status()).isEqualTo(404);
  }

  @Test
  void a_running_stage_of_a_cancelled_job_is_told_to_stop_and_its_result_is_not_applied() {
    start(Map.of("CONTENT_QUEUE_VISIBILITY", "3"));
    middle = context -> {
      Thread.sleep(20_000);
      return StageOutcome.completed(Json.object().put("middle", "should never be stored"));
    };
    UUID job = submit();
    await().atMost(Duration.ofSeconds(10)).until(() -> middleRuns.containsKey(job));

    assertThat(service().post("/api/v1/jobs/" + job + "/cancel", "").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(10)).until(() -> events(job, "stale_ack") == 1);
    assertThat(status(job)).isEqualTo("cancelled");
    assertThat(TestDatabase.count("select count(*) from job_payloads where job_id = ? and stage = 'middle'", job)).isZero();
  }

  @Test
  void a_heartbeat_keeps_a_stage_longer_than_its_visibility_from_being_delivered_twice() {
    // why a 4 s lease (a beat every 1.3 s) and a run of 2.5 leases: with a 1.5 s lease one beat late by a
    // second on a loaded machine let the message go to a second run
    start(Map.of("CONTENT_QUEUE_VISIBILITY", "4"));
    middle = context -> {
      Thread.sleep(10_000);
      return StageOutcome.completed(Json.object().put("slow", true));
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(30)).until(() -> status(job).equals("completed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(1);
    assertThat(events(job, "stale_ack")).isZero();
  }

  @Test
  void a_stage_that_outlives_its_timeout_is_interrupted_and_counted_as_a_failed_attempt() {
    start(Map.of("CONTENT_STAGE_TIMEOUT_SECONDS", "0.5", "CONTENT_STAGE_MAX_ATTEMPTS", "2"));
    middle = context -> {
      Thread.sleep(30_000);
      return StageOutcome.completed(Json.object());
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("failed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'middle' "
        + "and last_error->>'class' = ?", job, StageTimeoutException.class.getName())).isEqualTo(1);
  }

  @Test
  void a_run_whose_lease_was_taken_by_another_consumer_has_its_ack_rejected_counted_and_recorded() {
    start(Map.of("CONTENT_QUEUE_VISIBILITY", "3"));
    middle = context -> {
      // Another consumer takes the message over while this run is still going (a new lease).
      TestDatabase.jdbi().useHandle(h -> h.createUpdate(
          "update queue_messages set lease = gen_random_uuid() where job_id = :id and stage = 'middle'")
          .bind("id", context.jobId()).execute());
      return StageOutcome.completed(Json.object().put("zombie", true));
    };

    UUID job = submit();

    await().atMost(Duration.ofSeconds(10)).until(() -> events(job, "stale_ack") == 1);
    assertThat(TestDatabase.count("select count(*) from job_payloads where job_id = ? and stage = 'middle'", job)).isZero();
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'middle' and status = 'completed'", job)).isZero();
  }

  @Test
  void a_replayed_dead_letter_resumes_the_job_at_its_stage_with_attempts_reset_and_earlier_results_kept() {
    start(Map.of());
    middle = context -> {
      throw new IllegalStateException("broken until fixed");
    };
    UUID job = submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("failed"));
    JsonNode letters = service().get("/api/v1/dead-letters").json();
    assertThat(letters).hasSize(1);
    long id = letters.get(0).get("id").asLong();
    String firstStored = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select created_at::text from job_payloads where job_id = :id and stage = 'first'").bind("id", job).mapTo(String.class).one());

    middle = context -> StageOutcome.completed(Json.object().put("fixed", true));
    Http.Response replay = service().post("/api/v1/dead-letters/" + id + "/replay", "");

    assertThat(replay.status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("completed"));
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'middle'", job)).isEqualTo(1);
    String firstAfterReplay = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select created_at::text from job_payloads where job_id = :id and stage = 'first'").bind("id", job).mapTo(String.class).one());
    assertThat(firstAfterReplay).isEqualTo(firstStored);
    assertThat(service().get("/api/v1/dead-letters").json()).isEmpty();
    assertThat(service().get("/api/v1/dead-letters?all=true").json().get(0).get("resolution").asText()).isEqualTo("replayed");
    assertThat(service().post("/api/v1/dead-letters/" + id + "/replay", "").status()).isEqualTo(409);
  }

  @Test
  void a_discarded_dead_letter_leaves_the_job_failed() {
    start(Map.of());
    middle = context -> {
      throw new PermanentStageFailure("bad input");
    };
    UUID job = submit();
    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("failed"));
    long id = service().get("/api/v1/dead-letters").json().get(0).get("id").asLong();

    assertThat(service().get("/api/v1/dead-letters/" + id).json().get("failure_reason").asText()).contains("bad input");
    assertThat(service().post("/api/v1/dead-letters/" + id + "/discard", "").status()).isEqualTo(200);

    assertThat(status(job)).isEqualTo("failed");
    assertThat(events(job, "dead_letter_discarded")).isEqualTo(1);
    assertThat(service().post("/api/v1/dead-letters/999999/discard", "").status()).isEqualTo(404);
    assertThat(service().get("/api/v1/dead-letters/abc").status()).isEqualTo(400);
  }

  @Test
  void the_sweeper_queues_a_job_that_lost_its_message_again_and_logs_the_sweep() {
    start(Map.of());
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where stage = 'first'"));
    UUID job = submit();
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("delete from queue_messages where job_id = :id").bind("id", job).execute());
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where stage = 'first'"));

    JsonNode report = service().post("/functions/v1/sweeper", "").json();

    assertThat(report.get("orphans_requeued").asInt()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("completed"));
    assertThat(events(job, "swept")).isEqualTo(1);
    assertThat(TestDatabase.count("select records_processed from sweeper_logs where metadata->>'trigger_type' = 'manual' "
        + "order by timestamp desc limit 1")).isEqualTo(1);
    assertThat(service().post("/api/v1/sweeper/run", "").json().get("orphans_requeued").asInt()).isZero();
  }

  @Test
  void a_stage_whose_worker_died_mid_run_every_time_goes_to_the_dead_letters_without_running_again() {
    start(Map.of("CONTENT_STAGE_MAX_ATTEMPTS", "2"));
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where stage = 'middle'"));
    UUID job = submit();
    await().atMost(Duration.ofSeconds(10)).until(() ->
        TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'middle'", job) == 1);
    // Two runs began and never finished: their worker died mid-stage both times.
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("update job_stages set attempt_count = 2 where job_id = :id and stage = 'middle'")
        .bind("id", job).execute());

    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where stage = 'middle'"));

    await().atMost(Duration.ofSeconds(10)).until(() -> status(job).equals("failed"));
    assertThat(middleRuns.get(job)).isNull();
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and stage = 'middle'", job)).isEqualTo(1);
  }

  @Test
  void a_job_s_own_max_attempts_and_retry_delay_govern_its_retries() {
    start(Map.of());
    middle = context -> {
      throw new IllegalStateException("always");
    };

    Http.Response response = new Http(node.port(), TestNode.ANON_KEY).post("/functions/v1/content-intake", """
        {"job_type": "article", "max_attempts": 2, "retry_delay_seconds": 1,
         "payload": {"title": "Own policy", "keywords": ["policy"]}}""");
    UUID job = UUID.fromString(response.json().get("job_id").asText());

    await().atMost(Duration.ofSeconds(20)).until(() -> status(job).equals("failed"));
    assertThat(middleRuns.get(job).get()).isEqualTo(2);
    double gapSeconds = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
        select extract(epoch from max(created_at) - min(created_at)) from job_events
         where job_id = :id and stage = 'middle' and event_type in ('retry_scheduled', 'processing')
           and (event_type = 'retry_scheduled' or (metadata->>'attempt')::int = 2)""")
        .bind("id", job).mapTo(Double.class).one());
    // why up to 10 s: the retry's claim may come late on a loaded machine; the node's own delay is 0.05 s
    assertThat(gapSeconds).as("retry waited the jittered 1 s base delay").isBetween(0.8, 10.0);
    assertThat(TestDatabase.count("select max_attempts from job_stages where job_id = ? and stage = 'middle'", job)).isEqualTo(2);
  }
}
