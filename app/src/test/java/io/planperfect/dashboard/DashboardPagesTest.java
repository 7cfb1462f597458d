package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's actions over plain HTTP, each checked in the tables: payload edited before a
 * replay, a group of dead letters discarded, bulk cancel, priority, the scheduler's toggle and run
 * now; and what it shows of stored text (escaped) and generated articles (sanitised).
 */
class DashboardPagesTest {
  private final CountDownLatch hold = new CountDownLatch(1);
  private PlanPerfectNode node;
  private PipelineDefinition pipeline;
  private Browser browser;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    pipeline = new PipelineDefinition("pages", "pages", List.of("page"), List.of(
        new StageDefinition("write", context -> {
          ObjectNode payload = context.jobPayload();
          if (payload.path("fail").asBoolean()) {
            throw new PermanentStageFailure("refused: " + payload.path("fail_reason").asText("no reason"));
          }
          if (payload.path("hold").asBoolean()) {
            hold.await();
          }
          return StageOutcome.completed(Json.object().put("markdown",
              "# " + payload.path("title").asText() + "\n\nSafe text.\n\n<script>alert(1)</script><img src=x onerror=alert(2)>"));
        }))).withIntake(payload -> {
          Fields.requiredText(payload, "title", "payload.title");
          return payload;
        });
    // a stand-in for seed 004's generation pipeline: the form must speak the API's shape to it
    PipelineDefinition generation = new PipelineDefinition("generation", "generation", List.of("generation"), List.of(
        new StageDefinition("validation", context -> StageOutcome.completed(Json.object())))).withIntake(payload -> {
          Fields.requiredText(payload, "pageType", "payload.pageType");
          Fields.requiredText(payload, "targetUrl", "payload.targetUrl");
          return payload;
        });
    node = TestNode.start(new PipelineRegistry(List.of(pipeline, io.planperfect.stages.content.ContentPipeline.definition(),
        generation)));
    browser = new Browser(node.port());
    browser.login(TestNode.SERVICE_KEY);
  }

  @AfterEach
  void stop() {
    hold.countDown();
    node.close();
  }

  private UUID submit(String payload) {
    return node.intake().submit(new NewJob(pipeline, "page", null, (ObjectNode) Json.read(payload), "write", 0));
  }

  private UUID deadLettered(String payload) {
    UUID job = submit(payload);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from dead_letters where job_id = ? and resolved_at is null", job) == 1);
    return job;
  }

  private long letterOf(UUID job) {
    return TestDatabase.count("select id from dead_letters where job_id = ?", job);
  }

  @Test
  void a_payload_edited_before_replay_is_checked_by_the_pipelines_intake_and_then_runs() {
    UUID job = deadLettered("{\"title\":\"t\",\"fail\":true}");
    long letter = letterOf(job);
    String csrf = browser.get("/dead-letters/" + letter + "/edit").csrf();

    Browser.Page invalid = browser.post("/dead-letters/" + letter + "/edit", Map.of("_csrf", csrf, "payload", "{\"fail\":false}"));
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.body()).contains("payload.title");
    Browser.Page notJson = browser.post("/dead-letters/" + letter + "/edit", Map.of("_csrf", csrf, "payload", "{oops"));
    assertThat(notJson.status()).isEqualTo(400);
    assertThat(notJson.body()).contains("not valid JSON").contains("{oops");
    assertThat(TestDatabase.count("select count(*) from dead_letters where id = ? and resolved_at is null", letter)).isEqualTo(1);

    Browser.Page saved = browser.post("/dead-letters/" + letter + "/edit",
        Map.of("_csrf", csrf, "payload", "{\"title\":\"t\",\"fail\":false}"));
    assertThat(saved.status()).isEqualTo(302);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and payload->>'fail' = 'false'", job)).isEqualTo(1);
  }

  @Test
  void a_group_of_dead_letters_with_the_same_error_is_discarded_at_once() {
    UUID a = deadLettered("{\"title\":\"a\",\"fail\":true,\"fail_reason\":\"quota\"}");
    UUID b = deadLettered("{\"title\":\"b\",\"fail\":true,\"fail_reason\":\"quota\"}");
    UUID other = deadLettered("{\"title\":\"c\",\"fail\":true,\"fail_reason\":\"timeout\"}");
    Browser.Page page = browser.get("/dead-letters");
    assertThat(page.body()).contains("refused: quota").contains("refused: timeout");

    Browser.Page discarded = browser.post("/dead-letters/group", Map.of("_csrf", page.csrf(), "action", "discard",
        "ids", letterOf(a) + "," + letterOf(b)));

    assertThat(discarded.status()).isEqualTo(302);
    assertThat(TestDatabase.count("select count(*) from dead_letters where resolution = 'discarded'")).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from dead_letters where job_id = ? and resolved_at is null", other)).isEqualTo(1);
  }

  @Test
  void bulk_cancel_and_priority_go_through_the_engine() {
    UUID first = submit("{\"title\":\"one\",\"hold\":true}");
    UUID second = submit("{\"title\":\"two\",\"hold\":true}");
    UUID third = submit("{\"title\":\"three\",\"hold\":true}");
    String csrf = browser.get("/jobs").csrf();

    Browser.Page priority = browser.post("/jobs/" + third + "/priority", Map.of("_csrf", csrf, "priority", "42"));
    assertThat(priority.status()).isEqualTo(302);
    assertThat(TestDatabase.count("select priority from jobs where id = ?", third)).isEqualTo(42);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and priority = 42", third)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'priority_changed'", third))
        .isEqualTo(1);
    assertThat(browser.post("/jobs/" + third + "/priority", Map.of("_csrf", csrf, "priority", "500")).header("Location")
        .orElseThrow()).contains("error=");

    String body = "_csrf=" + csrf + "&action=cancel&ids=" + first + "&ids=" + second;
    Browser.Page cancelled = browser.postRaw("/jobs/bulk", body);
    assertThat(cancelled.status()).isEqualTo(302);
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'cancelled'")).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and status = 'cancelled'", third)).isZero();
  }

  @Test
  void the_scheduler_page_toggles_a_job_and_asks_for_a_run_now() {
    String name = TestDatabase.jdbi().withHandle(h -> h.createQuery("select name from scheduler_jobs order by name limit 1")
        .mapTo(String.class).one());
    boolean enabled = TestDatabase.jdbi().withHandle(h -> h.createQuery("select enabled from scheduler_jobs where name = :n")
        .bind("n", name).mapTo(Boolean.class).one());
    Browser.Page page = browser.get("/scheduler");
    assertThat(page.body()).contains(name);

    browser.post("/scheduler/" + name + "/toggle", Map.of("_csrf", page.csrf()));
    browser.post("/scheduler/" + name + "/trigger", Map.of("_csrf", page.csrf()));

    boolean enabledNow = TestDatabase.jdbi().withHandle(h -> h.createQuery("select enabled from scheduler_jobs where name = :n")
        .bind("n", name).mapTo(Boolean.class).one());
    boolean requested = TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select trigger_requested_at is not null from scheduler_jobs where name = :n").bind("n", name).mapTo(Boolean.class).one());
    assertThat(enabledNow).isEqualTo(!enabled);
    assertThat(requested).isTrue();
  }

  @Test
  void stored_text_is_escaped_and_the_article_is_sanitised() {
    UUID job = submit("{\"title\":\"<script>alert('title')</script> Tips\"}");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);

    String list = browser.get("/jobs").body();
    String detail = browser.get("/jobs/" + job).body();

    assertThat(list).contains("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; Tips").doesNotContain("<script>alert('title')");
    String article = detail.substring(detail.indexOf("<article class=\"rendered\">"), detail.indexOf("</article>"));
    assertThat(article).contains("Safe text.").doesNotContain("<script").doesNotContain("onerror");
  }

  @Test
  void the_generation_form_submits_seed_004s_fields_as_the_api_takes_them() {
    Browser.Page form = browser.get("/generate");
    assertThat(form.body()).contains("id=\"generation-form\"");

    Browser.Page refused = browser.post("/generate", Map.of("_csrf", form.csrf(), "form", "generation", "pageType", "product",
        "targetUrl", "", "keywords", "a"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("payload.targetUrl");

    Browser.Page submitted = browser.post("/generate", Map.of("_csrf", form.csrf(), "form", "generation",
        "pageType", "product", "targetUrl", "https://shop.example/boots", "keywords", "boots, winter boots",
        "language", "de", "brandVoice", "warm", "priority", "7"));
    assertThat(submitted.status()).isEqualTo(302);
    UUID job = UUID.fromString(submitted.header("Location").orElseThrow().substring("/generate?job=".length()));
    ObjectNode payload = (ObjectNode) Json.read(TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select payload::text from jobs where id = :id and job_type = 'generation' and priority = 7").bind("id", job)
        .mapTo(String.class).one()));
    assertThat(payload.path("pageType").asText()).isEqualTo("product");
    assertThat(payload.path("targetUrl").asText()).isEqualTo("https://shop.example/boots");
    assertThat(payload.path("keywords")).hasSize(2);
    assertThat(payload.path("language").asText()).isEqualTo("de");
    assertThat(payload.path("brandVoice").asText()).isEqualTo("warm");
  }

  @Test
  void the_article_form_refuses_bad_input_naming_the_field_and_stores_nothing() {
    Browser.Page form = browser.get("/generate");
    Browser.Page refused = browser.post("/generate", Map.of("_csrf", form.csrf(), "title", "", "keywords", "a"));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.body()).contains("payload.title").contains("value=\"a\"");
    Browser.Page wordCount = browser.post("/generate", Map.of("_csrf", form.csrf(), "title", "t", "keywords", "a",
        "word_count", "many"));
    assertThat(wordCount.status()).isEqualTo(400);
    assertThat(wordCount.body()).contains("word_count");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }
}
