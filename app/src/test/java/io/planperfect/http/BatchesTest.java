package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.json.Json;
import io.planperfect.stages.generation.GenerationPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.SseReader;
import io.planperfect.testing.TestNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Batches for every pipeline: JSON or CSV, all or nothing, counters kept exact by the engine as
 * jobs complete, fail, are retried, replayed from the dead letters or cancelled, and one completion event.
 */
class BatchesTest {
  private static final AtomicBoolean FAILING = new AtomicBoolean(true);
  private static final CountDownLatch RELEASE = new CountDownLatch(1);
  /** Holds the "held" jobs of one test (set afresh before each). */
  private static volatile CountDownLatch held = new CountDownLatch(1);

  /** A job's payload says how its one stage behaves: ok, once (fails its first attempt), flag (fails while FAILING), slow, held. */
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> {
        String mode = context.jobPayload().path("mode").asText("ok");
        if (mode.equals("once") && context.attempt() == 1) {
          throw new IllegalStateException("first attempt fails");
        }
        if (mode.equals("flag") && FAILING.get()) {
          throw new PermanentStageFailure("failing until the flag is cleared");
        }
        if (mode.equals("slow")) {
          RELEASE.await(30, TimeUnit.SECONDS);
        }
        if (mode.equals("held")) {
          held.await(30, TimeUnit.SECONDS);
        }
        return StageOutcome.completed(Json.object().put("done", mode));
      })));

  private PlanPerfectNode node;
  private Http anon;
  private Http service;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    FAILING.set(true);
    held = new CountDownLatch(1);
    node = TestNode.start(new PipelineRegistry(List.of(WORK, GenerationPipeline.definition())));
    anon = new Http(node.port(), TestNode.ANON_KEY);
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static String work(String... modes) {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < modes.length; i++) {
      body.append(i == 0 ? "" : ",").append("{\"job_type\": \"work\", \"payload\": {\"mode\": \"").append(modes[i]).append("\"}}");
    }
    return body.append("]").toString();
  }

  private UUID submit(String body) {
    Http.Response response = anon.post("/api/v1/batches", body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("batch_id").asText());
  }

  private JsonNode batch(UUID id) {
    return anon.get("/api/v1/batches/" + id).json();
  }

  private static long completionEvents(UUID batch) {
    return TestDatabase.count("select count(*) from job_events where event_type = 'batch_completed' and metadata ->> 'batch_id' = ?",
        batch.toString());
  }

  @Test
  void a_json_batch_runs_every_job_and_completes_once_with_an_event() {
    UUID id = submit("{\"callback_url\": \"https://hooks.invalid/done\", \"jobs\": " + work("ok", "ok", "ok") + "}");

    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("status").asText().equals("completed"));
    JsonNode batch = batch(id);
    assertThat(batch.path("total_jobs").asInt()).isEqualTo(3);
    assertThat(batch.path("completed").asInt()).isEqualTo(3);
    assertThat(batch.path("pending").asInt()).isZero();
    assertThat(batch.path("progress_percent").asDouble()).isEqualTo(100.0);
    assertThat(batch.path("callback_url").asText()).isEqualTo("https://hooks.invalid/done");
    assertThat(batch.path("finished_at").isNull()).isFalse();
    assertThat(batch.path("jobs").path("items")).hasSize(3);
    assertThat(completionEvents(id)).isEqualTo(1);
    assertThat(anon.get("/api/v1/batches").json()).hasSize(1);
    assertThat(anon.get("/api/v1/batches/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void counts_stay_exact_through_retries_dead_letters_and_replays() {
    UUID id = submit(work("ok", "ok", "ok", "once", "once", "flag", "flag"));

    await().atMost(Duration.ofSeconds(30)).until(() -> batch(id).path("status").asText().equals("completed_with_failures"));
    JsonNode finished = batch(id);
    assertThat(finished.path("completed").asInt()).isEqualTo(5);
    assertThat(finished.path("failed").asInt()).isEqualTo(2);
    assertThat(anon.get("/api/v1/batches/" + id + "?job_status=failed").json().path("jobs").path("items")).hasSize(2);
    assertThat(TestDatabase.count("select count(*) from job_stages s join jobs j on j.id = s.job_id "
        + "where j.batch_id = ? and j.payload ->> 'mode' = 'once' and s.attempt_count = 2", id)).isEqualTo(2);

    FAILING.set(false);
    List<Long> letters = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select d.id from dead_letters d join jobs j on j.id = d.job_id where j.batch_id = :b").bind("b", id).mapTo(Long.class).list());
    assertThat(letters).hasSize(2);
    letters.forEach(letter -> assertThat(service.post("/api/v1/dead-letters/" + letter + "/replay", "{}").status()).isEqualTo(200));

    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("completed").asInt() == 7);
    JsonNode replayed = batch(id);
    assertThat(replayed.path("failed").asInt()).isZero();
    assertThat(replayed.path("status").asText()).isEqualTo("completed");
    assertThat(completionEvents(id)).isEqualTo(1);
    assertThat(TestDatabase.count("select completed + failed + cancelled from generation_batches where id = ?", id))
        .isEqualTo(TestDatabase.count("select count(*) from jobs where batch_id = ? and status in ('completed', 'failed', 'cancelled')", id));
  }

  @Test
  void a_cancelled_batch_counts_its_cancelled_jobs_and_ends_cancelled_once() {
    UUID id = submit(work("ok", "ok", "slow", "slow", "slow", "slow", "slow", "slow"));
    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("completed").asInt() == 2);

    Http.Response cancelled = anon.post("/api/v1/batches/" + id + "/cancel", "");
    RELEASE.countDown();

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("status").asText().equals("cancelled"));
    JsonNode batch = batch(id);
    assertThat(batch.path("completed").asInt()).isEqualTo(2);
    assertThat(batch.path("cancelled").asInt()).isEqualTo(6);
    assertThat(completionEvents(id)).isEqualTo(1);
    assertThat(anon.post("/api/v1/batches/" + id + "/cancel", "").status()).isEqualTo(409);
  }

  @Test
  void a_csv_batch_maps_columns_to_fields_and_splits_keywords() throws Exception {
    String csv = Files.readString(Path.of("..", "docs", "examples", "generation-batch.csv"));

    Http.Response response = anon.post("/api/v1/batches?job_type=generation", csv, "text/csv");

    assertThat(response.status()).as(response.body()).isEqualTo(201);
    UUID id = UUID.fromString(response.json().path("batch_id").asText());
    assertThat(TestDatabase.count("select count(*) from jobs where batch_id = ? and pipeline = 'generation'", id)).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from jobs where batch_id = ? and payload -> 'keywords' = '[\"garden tools\", \"pruning shears\"]'", id))
        .isEqualTo(1);
    // the category row gave no priority: its score (30 + 30 + 20) made it HIGH
    assertThat(TestDatabase.count("select priority from jobs where batch_id = ? and payload ->> 'pageType' = 'category'", id)).isEqualTo(10);
    assertThat(TestDatabase.count("select priority from jobs where batch_id = ? and payload ->> 'pageType' = 'blog'", id)).isEqualTo(-10);
    await().atMost(Duration.ofSeconds(30)).until(() -> batch(id).path("status").asText().equals("completed"));
    assertThat(anon.get("/api/v1/pages?batch_id=" + id).json()).hasSize(4);
    assertThat(TestDatabase.count("select count(*) from job_stages s join jobs j on j.id = s.job_id where j.batch_id = ? "
        + "and s.stage = 'quality-validation' and s.status = 'skipped'", id)).isEqualTo(1);
  }

  @Test
  void one_bad_row_refuses_the_whole_batch_naming_the_row_and_field() {
    Http.Response json = anon.post("/api/v1/batches", "[{\"job_type\": \"work\", \"payload\": {}},"
        + " {\"job_type\": \"generation\", \"payload\": {\"pageType\": \"blog\", \"targetUrl\": \"nope\", \"keywords\": [\"a\"]}}]");
    Http.Response envelope = anon.post("/api/v1/batches", "[{\"job_type\": \"work\", \"payload\": {}}, {\"job_type\": \"nope\", \"payload\": {}}]");
    Http.Response csv = anon.post("/api/v1/batches?job_type=generation",
        "pageType,targetUrl,keywords\nblog,https://e.com/a,x\nblog,https://e.com/b,y\nrecipe,https://e.com/c,z\n", "text/csv");
    Http.Response ragged = anon.post("/api/v1/batches?job_type=generation", "pageType,targetUrl\nblog\n", "text/csv");
    Http.Response empty = anon.post("/api/v1/batches", "[]");

    assertThat(json.status()).isEqualTo(400);
    assertThat(json.json().path("field").asText()).isEqualTo("rows[2].payload.targetUrl");
    assertThat(envelope.json().path("field").asText()).isEqualTo("rows[2].job_type");
    assertThat(csv.status()).isEqualTo(400);
    assertThat(csv.json().path("field").asText()).isEqualTo("rows[3].payload.pageType");
    assertThat(ragged.json().path("field").asText()).isEqualTo("rows[1]");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isZero();
  }

  @Test
  void a_batch_jobs_own_retry_settings_win_over_the_stage_config_as_at_single_intake() {
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "update content_stage_config set max_attempts = 4, enabled = false where queue = 'content' and stage = 'research'"));
    UUID id = submit("[{\"job_type\": \"work\", \"max_attempts\": 7, \"payload\": {}}, {\"job_type\": \"work\", \"payload\": {}}]");

    assertThat(TestDatabase.count("select count(*) from job_stages s join jobs j on j.id = s.job_id "
        + "where j.batch_id = ? and s.max_attempts = 7 and j.requested_max_attempts = 7", id)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages s join jobs j on j.id = s.job_id "
        + "where j.batch_id = ? and s.max_attempts = 4 and j.requested_max_attempts is null", id)).isEqualTo(1);
  }

  @Test
  void a_batch_of_more_than_ten_thousand_jobs_is_refused() {
    StringBuilder csv = new StringBuilder("mode\n");
    for (int i = 0; i <= 10_000; i++) {
      csv.append("ok\n");
    }
    Http.Response response = anon.post("/api/v1/batches?job_type=work", csv.toString(), "text/csv");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().path("field").asText()).isEqualTo("jobs");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void a_batch_stream_sends_the_counts_as_they_change_and_ends_when_the_batch_finishes() {
    UUID id = submit(work("ok", "ok", "held", "held", "flag"));
    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("completed").asInt() == 2);

    try (SseReader reader = SseReader.open(node.port(), "/api/v1/batches/" + id + "/stream", TestNode.ANON_KEY, Map.of())) {
      await().atMost(Duration.ofSeconds(20)).until(() -> !reader.events().isEmpty());
      assertThat(reader.events().get(0).name()).isEqualTo("snapshot");
      assertThat(reader.events().get(0).json().path("completed").asInt()).isEqualTo(2);
      held.countDown();
      await().atMost(Duration.ofSeconds(20)).until(reader::ended);

      List<SseReader.Event> progress = reader.events().stream().filter(e -> e.name().equals("progress")).toList();
      assertThat(progress).isNotEmpty();
      JsonNode last = progress.get(progress.size() - 1).json();
      assertThat(last.path("completed").asInt()).isEqualTo(4);
      assertThat(last.path("failed").asInt()).isEqualTo(1);
      assertThat(last.path("status").asText()).isEqualTo("completed_with_failures");
      assertThat(last.path("progress_percent").asDouble()).isEqualTo(100.0);
      assertThat(progress).extracting(e -> e.json().path("completed").asInt() + e.json().path("failed").asInt())
          .as("counts only grow, one event per change of the counts").isSorted().doesNotHaveDuplicates();
      assertThat(reader.events().get(reader.events().size() - 1).name()).isEqualTo("end");
    }
    assertThat(anon.get("/api/v1/batches/" + UUID.randomUUID() + "/stream").status()).isEqualTo(404);
  }

  @Test
  void a_job_that_ends_while_a_batch_stream_opens_is_counted_in_a_progress_event() {
    UUID id = submit(work("ok", "held"));
    await().atMost(Duration.ofSeconds(20)).until(() -> batch(id).path("completed").asInt() == 1);
    UUID heldJob = TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select id from jobs where batch_id = :batch and status <> 'completed'")
        .bind("batch", id).mapTo(UUID.class).one());

    // the job is cancelled by a transaction that has taken its event's number but not committed when the stream reads the batch
    try (Handle inFlight = TestDatabase.jdbi().open()) {
      inFlight.begin();
      inFlight.createUpdate("update jobs set status = 'cancelled' where id = :id").bind("id", heldJob).execute();
      inFlight.createUpdate("""
              insert into job_events (job_id, pipeline, stage, event_type, message)
              values (:id, 'work', 'research', 'cancelled', 'cancelled while the stream opened')""")
          .bind("id", heldJob).execute();
      try (SseReader reader = SseReader.open(node.port(), "/api/v1/batches/" + id + "/stream", TestNode.ANON_KEY, Map.of())) {
        await().atMost(Duration.ofSeconds(20)).until(() -> !reader.events().isEmpty());
        assertThat(reader.events().get(0).json().path("cancelled").asInt()).isZero();
        inFlight.commit();

        await().atMost(Duration.ofSeconds(10)).until(reader::ended);
        List<SseReader.Event> progress = reader.events().stream().filter(e -> e.name().equals("progress")).toList();
        assertThat(progress).isNotEmpty();
        assertThat(progress.get(progress.size() - 1).json().path("cancelled").asInt()).isEqualTo(1);
      }
    } finally {
      held.countDown();
    }
  }
}
