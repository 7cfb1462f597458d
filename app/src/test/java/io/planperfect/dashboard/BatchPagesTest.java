package io.planperfect.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.Fields;
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
 * The Generate page's CSV upload (preview with per-row problems from the API's own reader, then one
 * batch through the engine's batch intake, all or nothing) and the Batches pages (counts, jobs by
 * status, cancel), over plain HTTP, each checked in the tables; and who may use them.
 */
class BatchPagesTest {
  private static final String GOOD = """
      title,keywords,word_count,priority
      Composting basics,compost;soil,600,5
      "Raised beds, step by step",beds|wood,800,
      Mulch,mulch,,
      """;

  private final CountDownLatch hold = new CountDownLatch(1);
  private PlanPerfectNode node;
  private Browser browser;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    PipelineDefinition pipeline = new PipelineDefinition("pages", "pages", List.of("article"), List.of(
        new StageDefinition("write", context -> {
          ObjectNode payload = context.jobPayload();
          if (payload.path("title").asText().startsWith("Hold")) {
            hold.await();
          }
          return StageOutcome.completed(Json.object());
        }))).withIntake(payload -> {
          Fields.requiredText(payload, "title", "payload.title");
          return payload;
        });
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
    browser = new Browser(node.port());
  }

  @AfterEach
  void stop() {
    hold.countDown();
    node.close();
  }

  private String csrf() {
    return browser.get("/generate").csrf();
  }

  @Test
  void the_preview_shows_every_row_as_the_api_reads_it_and_stores_nothing() {
    browser.login(TestNode.SERVICE_KEY);
    Browser.Page generate = browser.get("/generate");
    assertThat(generate.body()).contains("id=\"csv-form\"").contains("enctype=\"multipart/form-data\"");

    Browser.Page preview = browser.post("/generate/csv", Map.of("_csrf", generate.csrf(), "job_type", "article", "csv_text", GOOD));

    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.body()).contains("3 row(s), all valid.").contains("id=\"batch-submit\"")
        .contains("Create batch of 3 job(s)")
        .contains("&quot;keywords&quot;:[&quot;compost&quot;,&quot;soil&quot;]")
        .contains("Raised beds, step by step");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isZero();
  }

  @Test
  void every_bad_row_is_named_with_its_field_and_submitting_anyway_stores_nothing() {
    browser.login(TestNode.SERVICE_KEY);
    String csv = """
        title,keywords,priority
        Fine,a,1
        ,b,2
        Also fine,c,banana
        Last,d,3
        """;

    Browser.Page preview = browser.post("/generate/csv", Map.of("_csrf", csrf(), "job_type", "article", "csv_text", csv));

    assertThat(preview.body()).contains("4 row(s), 2 with a problem").doesNotContain("id=\"batch-submit\"")
        .contains("<tr data-row=\"2\" class=\"bad\">").contains("rows[2].payload.title")
        .contains("<tr data-row=\"3\" class=\"bad\">").contains("rows[3].priority")
        .doesNotContain("<tr data-row=\"1\" class=\"bad\">").doesNotContain("<tr data-row=\"4\" class=\"bad\">");

    Browser.Page forced = browser.post("/generate/batch", Map.of("_csrf", csrf(), "job_type", "article", "csv_text", csv));
    assertThat(forced.status()).isEqualTo(400);
    assertThat(forced.body()).contains("rows[2].payload.title");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from generation_batches")).isZero();
  }

  @Test
  void a_text_that_is_no_csv_batch_is_refused_whole_naming_the_problem() {
    browser.login(TestNode.SERVICE_KEY);
    Browser.Page ragged = browser.post("/generate/csv", Map.of("_csrf", csrf(), "job_type", "article",
        "csv_text", "title,keywords\nOne,a\nTwo,b,extra\n"));
    assertThat(ragged.status()).isEqualTo(400);
    assertThat(ragged.body()).contains("rows[2]").contains("has 3 cells; the header has 2").contains("Nothing was stored");

    Browser.Page empty = browser.post("/generate/csv", Map.of("_csrf", csrf(), "job_type", "article", "csv_text", ""));
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body()).contains("choose a CSV file or paste its text");

    Browser.Page noType = browser.post("/generate/csv", Map.of("_csrf", csrf(), "csv_text", "title\nOne\n"));
    assertThat(noType.body()).contains("rows[1].job_type");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void submitted_the_batch_is_created_by_the_engine_and_its_page_shows_the_counts_and_jobs() {
    browser.login(TestNode.SERVICE_KEY);

    Browser.Page created = browser.post("/generate/batch", Map.of("_csrf", csrf(), "job_type", "article", "csv_text", GOOD));

    assertThat(created.status()).isEqualTo(302);
    String location = created.header("Location").orElseThrow();
    assertThat(location).startsWith("/batches/").contains("notice=");
    UUID batch = UUID.fromString(location.substring("/batches/".length(), location.indexOf('?')));
    assertThat(TestDatabase.count("select total_jobs from generation_batches where id = ?", batch)).isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from jobs where batch_id = ? and payload->'keywords' = '[\"beds\",\"wood\"]'",
        batch)).isEqualTo(1);
    assertThat(TestDatabase.count("select priority from jobs where batch_id = ? and payload->>'title' = 'Composting basics'",
        batch)).isEqualTo(5);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select completed from generation_batches where id = ?", batch) == 3);

    Browser.Page page = browser.get("/batches/" + batch);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("id=\"batch-counts\"").contains("<dd data-count=\"completed\">3</dd>")
        .contains("<dd data-count=\"pending\">0</dd>").contains("data-finished=\"true\"")
        .contains("href=\"/jobs?batch=" + batch + "\"").doesNotContain("Cancel batch");
    assertThat(page.body().split("<tr data-batch-job=", -1)).hasSize(4);
    assertThat(browser.get("/batches/" + batch + "?status=failed").body()).doesNotContain("<tr data-batch-job=");
    Browser.Page counts = browser.get("/batches/" + batch + "/counts");
    assertThat(counts.body()).startsWith("<div class=\"card\"><div class=\"batch-head\"").contains("100%")
        .contains("<tr data-batch-job=").doesNotContain("<html");
    assertThat(browser.get("/batches").body()).contains("<tr data-row-batch=\"" + batch + "\"");
    assertThat(browser.get("/jobs?batch=" + batch).body().split("<tr data-row-job=", -1)).hasSize(4);
    assertThat(browser.get("/jobs?batch=" + UUID.randomUUID()).body()).doesNotContain("<tr data-row-job=");
    assertThat(browser.get("/batches/" + UUID.randomUUID()).status()).isEqualTo(404);
  }

  @Test
  void a_running_batch_is_cancelled_from_its_page() {
    browser.login(TestNode.SERVICE_KEY);
    Browser.Page created = browser.post("/generate/batch", Map.of("_csrf", csrf(), "job_type", "article",
        "csv_text", "title\nHold one\nHold two\n"));
    String location = created.header("Location").orElseThrow();
    UUID batch = UUID.fromString(location.substring("/batches/".length(), location.indexOf('?')));
    Browser.Page page = browser.get("/batches/" + batch);
    assertThat(page.body()).contains("Cancel batch").contains("data-finished=\"false\"");

    Browser.Page cancelled = browser.post("/batches/" + batch + "/cancel", Map.of("_csrf", page.csrf()));

    assertThat(cancelled.status()).isEqualTo(302);
    assertThat(cancelled.header("Location").orElseThrow()).startsWith("/batches/" + batch + "?notice=");
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from generation_batches where id = ? and status = 'cancelled'", batch) == 1);
  }

  @Test
  void the_anon_key_may_upload_and_follow_a_batch_as_the_api_lets_it_but_needs_the_csrf_token() {
    browser.login(TestNode.ANON_KEY);
    assertThat(browser.get("/generate").body()).contains("href=\"/batches\"").contains("id=\"csv-form\"");

    Browser.Page noToken = browser.post("/generate/batch", Map.of("job_type", "article", "csv_text", GOOD));
    assertThat(noToken.status()).isEqualTo(403);
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();

    Browser.Page created = browser.post("/generate/batch", Map.of("_csrf", csrf(), "job_type", "article", "csv_text", GOOD));
    assertThat(created.status()).isEqualTo(302);
    String location = created.header("Location").orElseThrow();
    assertThat(browser.get(location).status()).isEqualTo(200);
    String id = location.substring("/batches/".length(), location.indexOf('?'));
    assertThat(browser.get("/batches/" + id + "/counts").status()).isEqualTo(200);
    assertThat(browser.get("/batches").status()).isEqualTo(200);
    assertThat(browser.get("/stages").status()).isEqualTo(403);

    Browser anonymous = new Browser(node.port());
    for (String path : List.of("/batches", "/batches/" + id, "/batches/" + id + "/counts")) {
      assertThat(anonymous.get(path).status()).as(path).isEqualTo(302);
    }
    assertThat(anonymous.post("/generate/csv", Map.of("csv_text", GOOD)).status()).isEqualTo(401);
  }
}
