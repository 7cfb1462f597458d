package io.planperfect.stages.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generation jobs through a real node: intake, the seven stages in order, the stored page, the seed's views. */
class GenerationJobsTest {
  private static final String PAYLOAD = """
      {"pageType": "category", "targetUrl": "https://shop.example.com/c/garden-tools",
       "keywords": ["garden tools", "pruning shears"], "projectId": "p-1"%s}""";

  private PlanPerfectNode node;
  private Http anon;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(GenerationPipeline.definition())));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private UUID submit(String extraPayload, String envelope) {
    Http.Response response = anon.post("/api/v1/jobs",
        "{\"job_type\": \"generation\"" + envelope + ", \"payload\": " + PAYLOAD.formatted(extraPayload) + "}");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("job_id").asText());
  }

  private static void awaitStatus(UUID job, String status) {
    await().atMost(Duration.ofSeconds(30)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = ?", job, status) == 1);
  }

  private static List<String> events(UUID job, String type) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select stage from job_events where job_id = :id and event_type = :type order by seq")
        .bind("id", job).bind("type", type).mapTo(String.class).list());
  }

  @Test
  void a_generation_job_runs_the_seven_stages_in_order_and_its_page_is_readable() {
    UUID job = submit("", ", \"priority\": \"HIGH\"");
    awaitStatus(job, "completed");

    assertThat(events(job, "processing")).containsExactly("validation", "context-building", "component-generation",
        "template-assembly", "quality-validation", "post-processing", "storage");
    JsonNode page = anon.get("/api/v1/pages/" + job).json();
    assertThat(page.path("page_type").asText()).isEqualTo("category");
    assertThat(page.path("slug").asText()).isEqualTo("garden-tools");
    assertThat(page.path("html").asText()).contains("<h1>");
    assertThat(page.path("quality").path("passed").asBoolean()).isTrue();
    assertThat(anon.get("/api/v1/jobs/" + job + "/page").json().path("id").asText()).isEqualTo(job.toString());
    assertThat(anon.get("/api/v1/pages").json()).hasSize(1);
    assertThat(anon.get("/api/v1/pages/" + UUID.randomUUID()).status()).isEqualTo(404);
    assertThat(TestDatabase.count("select priority from jobs where id = ?", job)).isEqualTo(10);
    // the context stage recorded the page it could not fetch (no fetcher in this node) and went on
    assertThat(TestDatabase.count("""
        select count(*) from job_payloads where job_id = ? and stage = 'context-building'
           and data -> 'targetPage' ->> 'status' = 'not_fetched'""", job)).isEqualTo(1);
  }

  @Test
  void the_generation_queue_view_shows_the_job_as_the_seed_names_it() {
    UUID job = submit("", ", \"priority\": \"LOW\"");
    awaitStatus(job, "completed");

    var row = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
            select status, priority, progress, current_stage, project_id, config ->> 'pageType' as page_type,
                   stage_details -> 'storage' ->> 'status' as storage, completed_at is not null as done
              from generation_queue where id = :id""").bind("id", job).mapToMap().one());
    assertThat(row).containsEntry("status", "completed").containsEntry("priority", "LOW").containsEntry("progress", 100)
        .containsEntry("current_stage", "storage").containsEntry("project_id", "p-1").containsEntry("page_type", "category")
        .containsEntry("storage", "completed").containsEntry("done", true);
  }

  @Test
  void the_queue_views_progress_is_weighted_by_stage_and_counts_a_running_stage_half() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where queue = 'generation'"));
    UUID job = submit("", "");
    assertThat(TestDatabase.count("select progress from generation_queue where id = ?", job)).isZero();

    // validation (5) done, context-building (15) running: 5 + 7.5, rounded
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        update job_stages set status = case stage when 'validation' then 'completed' else 'processing' end
         where job_id = ? and stage in ('validation', 'context-building')""", job));
    assertThat(TestDatabase.count("select progress from generation_queue where id = ?", job)).isEqualTo(13);
    // component-generation (35) done as well, quality-validation (15) skipped
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        update job_stages set status = case stage when 'quality-validation' then 'skipped' else 'completed' end
         where job_id = ? and stage in ('context-building', 'component-generation', 'quality-validation')""", job));
    assertThat(TestDatabase.count("select progress from generation_queue where id = ?", job)).isEqualTo(70);
    String status = TestDatabase.jdbi().withHandle(h -> h.createQuery("select status from generation_queue where id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(status).isEqualTo("pending");
  }

  @Test
  void without_a_priority_the_prioritizer_decides_and_its_score_is_stored() {
    UUID job = submit(", \"metadata\": {\"skuCount\": 5000, \"monthlySearches\": 50000, \"contentStatus\": \"missing\"}", "");

    assertThat(TestDatabase.count("select priority from jobs where id = ?", job)).isEqualTo(10);
    assertThat(TestDatabase.count("select (payload -> 'prioritization' ->> 'score')::int from jobs where id = ?", job))
        .isEqualTo(80);
    UUID low = submit("", "");
    assertThat(TestDatabase.count("select priority from jobs where id = ?", low)).isEqualTo(-10);
    UUID numeric = submit("", ", \"priority\": 7");
    assertThat(TestDatabase.count("select priority from jobs where id = ?", numeric)).isEqualTo(7);
  }

  @Test
  void skip_quality_check_marks_the_stage_skipped_with_an_event() {
    UUID job = submit(", \"options\": {\"skipQualityCheck\": true}", "");
    awaitStatus(job, "completed");

    assertThat(events(job, "skipped")).containsExactly("quality-validation");
    assertThat(events(job, "processing")).doesNotContain("quality-validation");
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'quality-validation' and status = 'skipped'", job))
        .isEqualTo(1);
  }

  @Test
  void bad_input_is_refused_naming_the_field_and_nothing_is_stored() {
    Http.Response language = anon.post("/api/v1/jobs", "{\"job_type\": \"generation\", \"payload\": "
        + PAYLOAD.formatted(", \"language\": \"klingon\"") + "}");
    Http.Response priority = anon.post("/api/v1/jobs", "{\"job_type\": \"generation\", \"priority\": \"URGENT\", \"payload\": "
        + PAYLOAD.formatted("") + "}");

    assertThat(language.status()).isEqualTo(400);
    assertThat(language.json().path("field").asText()).isEqualTo("payload.language");
    assertThat(priority.status()).isEqualTo(400);
    assertThat(priority.json().path("field").asText()).isEqualTo("priority");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void a_waiting_jobs_priority_can_be_changed_and_a_finished_ones_cannot() {
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where queue = 'generation' and stage = 'validation'"));
    UUID job = submit("", ", \"priority\": \"LOW\"");

    Http.Response changed = anon.patch("/api/v1/jobs/" + job, "{\"priority\": \"HIGH\"}");

    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(TestDatabase.count("select priority from jobs where id = ?", job)).isEqualTo(10);
    assertThat(TestDatabase.count("select priority from queue_messages where job_id = ?", job)).isEqualTo(10);
    assertThat(events(job, "priority_changed")).hasSize(1);
    assertThat(anon.patch("/api/v1/jobs/" + job, "{\"priority\": \"SOON\"}").status()).isEqualTo(400);
    assertThat(anon.patch("/api/v1/jobs/" + UUID.randomUUID(), "{\"priority\": 1}").status()).isEqualTo(404);
    JsonNode status = anon.get("/api/v1/queues/generation/status").json();
    assertThat(status.path("pending").asInt()).isEqualTo(1);
    assertThat(status.path("high").asInt()).isEqualTo(1);
    assertThat(status.path("low").asInt()).isZero();
    assertThat(status.path("total").asInt()).isEqualTo(1);
    assertThat(status.path("maxConcurrency").asInt()).isEqualTo(60);  // six enabled stages of 10
    assertThat(anon.get("/api/v1/queues/nope/status").status()).isEqualTo(404);

    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where queue = 'generation' and stage = 'validation'"));
    awaitStatus(job, "completed");
    assertThat(anon.patch("/api/v1/jobs/" + job, "{\"priority\": \"LOW\"}").status()).isEqualTo(409);
  }

  @Test
  void a_validation_failure_is_permanent_and_goes_to_the_dead_letters_at_once() {
    node.close();
    // why another intake: the real one refuses this payload; a job can still reach the stage from a replayed
    // letter or a payload changed by hand, and the stage must stop it without retries
    node = TestNode.start(new PipelineRegistry(List.of(GenerationPipeline.definition().withIntake(IntakeRules.ANY_OBJECT))));
    UUID job = node.intake().submit(new io.planperfect.engine.NewJob(
        GenerationPipeline.definition().withIntake(IntakeRules.ANY_OBJECT), "generation", null,
        io.planperfect.stages.Contexts.payload("{\"pageType\": \"blog\", \"targetUrl\": \"https://e.com/\", \"keywords\": [\"a\"], \"language\": \"xx\"}"),
        "validation", 0));
    awaitStatus(job, "failed");

    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'validation'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and stage = 'validation'", job)).isEqualTo(1);
    String reason = TestDatabase.jdbi().withHandle(h -> h.createQuery("select failure_reason from dead_letters where job_id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(reason).contains("payload.language");
  }
}
