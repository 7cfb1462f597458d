package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.CountingPipelines;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** An article job from seed 001's curl to completion, through the real HTTP server and workers. */
class ContentIntakeTest {
  static final String SEED_BODY = """
      {"job_type": "article", "requester_email": "user@example.com",
       "payload": {"title": "How to Build a Content Pipeline", "keywords": ["content", "pipeline", "automation"],
                   "domain": "example.com", "word_count": 2000}}""";

  private final CountingPipelines counting = new CountingPipelines();
  private PlanPerfectNode node;
  private Http anon;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(counting.wrap(ContentPipeline.definition(), Duration.ZERO),
        SchemaPipeline.definition())));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private String submit(String body) {
    Http.Response response = anon.post("/functions/v1/content-intake", body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().get("job_id").asText();
  }

  private JsonNode poll(String jobId) {
    Http.Response response = anon.get("/rest/v1/content_jobs?id=eq." + jobId);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().isArray()).isTrue();
    return response.json().get(0);
  }

  private void awaitStatus(String jobId, String status) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
        .until(() -> poll(jobId).get("status").asText().equals(status));
  }

  @Test
  void intake_answers_the_job_id_queued_status_and_first_stage() {
    Http.Response response = anon.post("/functions/v1/content-intake", SEED_BODY);

    assertThat(response.status()).isEqualTo(201);
    assertThat(response.json().get("status").asText()).isEqualTo("queued");
    assertThat(response.json().get("stage").asText()).isEqualTo("research");
    assertThat(response.json().get("job_id").asText()).matches("[0-9a-f-]{36}");
  }

  @Test
  void an_article_job_runs_through_all_six_stages_and_completes() {
    String jobId = submit(SEED_BODY);

    awaitStatus(jobId, "completed");

    JsonNode job = anon.get("/api/v1/jobs/" + jobId).json();
    assertThat(job.get("stage").asText()).isEqualTo("complete");
    assertThat(job.get("progress").get("percent").asInt()).isEqualTo(100);
    assertThat(job.get("stages")).extracting(s -> s.get("stage").asText())
        .containsExactly("research", "outline", "draft", "qa", "export", "complete");
    assertThat(job.get("stages")).allSatisfy(s -> assertThat(s.get("status").asText()).isEqualTo("completed"));
    JsonNode payloads = anon.get("/api/v1/jobs/" + jobId + "/payloads").json();
    assertThat(payloads).extracting(p -> p.get("stage").asText())
        .containsExactly("research", "outline", "draft", "qa", "export", "complete");
    assertThat(payloads.get(4).get("data").toString()).contains("<h1>");
    JsonNode events = anon.get("/api/v1/jobs/" + jobId + "/events").json();
    assertThat(events).extracting(e -> e.get("event_type").asText())
        .contains("queued", "processing", "completed", "job_completed");
    assertThat(TestDatabase.count("select count(*) from queue_archive where job_id = cast(? as uuid)", jobId)).isEqualTo(6);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void the_draft_is_near_the_requested_word_count() {
    String jobId = submit(SEED_BODY);
    awaitStatus(jobId, "completed");

    long words = TestDatabase.count(
        "select (data->>'word_count')::bigint from job_payloads where job_id = cast(? as uuid) and stage = 'draft'", jobId);

    assertThat(words).isBetween(1800L, 2200L);
  }

  @Test
  void a_job_started_at_a_later_initial_stage_skips_the_earlier_stages() {
    String jobId = submit("""
        {"job_type": "article", "initial_stage": "draft",
         "payload": {"title": "Starting late", "keywords": ["late start"], "word_count": 300}}""");

    awaitStatus(jobId, "completed");

    JsonNode stages = anon.get("/api/v1/jobs/" + jobId).json().get("stages");
    assertThat(stages).extracting(s -> s.get("status").asText())
        .containsExactly("skipped", "skipped", "completed", "completed", "completed", "completed");
    assertThat(TestDatabase.count("select count(*) from job_payloads where job_id = cast(? as uuid)", jobId)).isEqualTo(4);
  }

  @Test
  void a_schema_job_runs_on_the_schema_queue_and_produces_json_ld() {
    String jobId = submit("""
        {"job_type": "schema", "payload": {"title": "Blue Widget", "keywords": ["widget"], "domain": "example.com"}}""");

    awaitStatus(jobId, "completed");

    assertThat(TestDatabase.count("select count(*) from queue_archive where queue_name = 'schema' and job_id = cast(? as uuid)", jobId))
        .isGreaterThanOrEqualTo(1);
    assertThat(poll(jobId).get("result").toString()).contains("https://schema.org");
  }

  @Test
  void two_hundred_jobs_submitted_concurrently_all_complete_exactly_once() throws Exception {
    int jobs = 200;
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<String>> submitted = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      int n = i;
      submitted.add(clients.submit(() -> submit("""
          {"job_type": "article", "payload": {"title": "Concurrent %d", "keywords": ["k%d", "load"], "word_count": 300}}"""
          .formatted(n, n))));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> f : submitted) {
      ids.add(f.get());
    }
    clients.shutdown();

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
        .until(() -> TestDatabase.count("select count(*) from jobs where status = 'completed'") == jobs);

    assertThat(ids).doesNotHaveDuplicates();
    assertThat(counting.runs()).hasSize(jobs * 6);
    assertThat(counting.runs().values()).allSatisfy(runs -> assertThat(runs.get()).isEqualTo(1));
    assertThat(TestDatabase.count("select count(*) from job_payloads")).isEqualTo(jobs * 6L);
    assertThat(TestDatabase.count("select count(*) from job_payloads where updated_at <> created_at")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from (select job_id, stage from queue_archive group by job_id, stage having count(*) <> 1) d"""))
        .isZero();
    assertThat(TestDatabase.count("select count(*) from queue_archive")).isEqualTo(jobs * 6L);
    assertThat(TestDatabase.count("""
        select count(*) from (select job_id, stage from job_events where event_type = 'completed'
                              group by job_id, stage having count(*) <> 1) d""")).isZero();
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }

  @Test
  void health_answers_without_a_key() {
    Http.Response response = new Http(node.port(), null).get("/health");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("database").asText()).isEqualTo("up");
  }

  @Test
  void an_unknown_job_is_404_and_a_malformed_id_is_400() {
    assertThat(anon.get("/api/v1/jobs/00000000-0000-0000-0000-000000000000").status()).isEqualTo(404);
    Http.Response bad = anon.get("/api/v1/jobs/not-a-uuid");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("id");
    assertThat(anon.get("/rest/v1/content_jobs?id=eq.nope").status()).isEqualTo(400);
  }

  @Test
  void a_poll_for_an_unknown_job_answers_an_empty_array() {
    Http.Response response = anon.get("/rest/v1/content_jobs?id=eq.00000000-0000-0000-0000-000000000000");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json()).isEmpty();
  }

}
