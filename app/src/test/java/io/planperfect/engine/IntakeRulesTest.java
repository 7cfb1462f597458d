package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each pipeline declares its own intake: its fields, checks and defaults, and rows written in the
 * intake transaction. A page-audit pipeline here takes {url | pageId}, which the article rules refuse.
 */
class IntakeRulesTest {
  private static PlanPerfectNode node;
  private static Http http;

  /** Seed 002's body in the payload: a url or a pageId; a page record written with the job. */
  static final class PageIntake implements IntakeRules {
    @Override
    public ObjectNode validate(ObjectNode payload) {
      String url = Fields.optionalText(payload, "url", "payload.url", 2_048);
      String pageId = Fields.optionalText(payload, "pageId", "payload.pageId");
      if (url == null && pageId == null) {
        throw new InvalidField("payload.url", "payload.url or payload.pageId is required");
      }
      if (url != null && !url.startsWith("https://")) {
        throw new InvalidField("payload.url", "payload.url must be an https URL");
      }
      Fields.optionalStrings(payload, "skipSteps", "payload.skipSteps", 0, 6);
      if (!payload.has("depth")) {
        payload.put("depth", 1);
      }
      return payload;
    }

    @Override
    public void accepted(Handle transaction, UUID jobId, ObjectNode payload) {
      if (payload.path("url").asText().contains("refuse-the-row")) {
        throw new InvalidField("payload.url", "no page record may be made for this url");
      }
      transaction.createUpdate("insert into intake_rules_test_pages (job_id, url) values (:job, :url)")
          .bind("job", jobId).bind("url", payload.path("url").asText(null)).execute();
    }
  }

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute(
        "create table if not exists intake_rules_test_pages (job_id uuid primary key, url text)"));
    PipelineDefinition pages = new PipelineDefinition("audit", "audit", List.of("page_audit"), List.of(
        new StageDefinition("crawl", context -> StageOutcome.completed(Json.object().put("crawled", true)))))
        .withIntake(new PageIntake());
    node = TestNode.start(new PipelineRegistry(List.of(io.planperfect.stages.content.ContentPipeline.definition(), pages)));
    http = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterAll
  static void stop() {
    node.close();
    TestDatabase.jdbi().useHandle(h -> h.execute("drop table if exists intake_rules_test_pages"));
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute("delete from intake_rules_test_pages"));
  }

  @Test
  void a_pipeline_with_its_own_rules_accepts_a_body_without_a_title_and_fills_its_defaults() {
    Http.Response response = http.post("/functions/v1/content-intake",
        "{\"job_type\":\"page_audit\",\"payload\":{\"url\":\"https://example.com/a\",\"skipSteps\":[]}}");

    assertThat(response.status()).isEqualTo(201);
    UUID job = UUID.fromString(response.json().get("job_id").asText());
    assertThat(TestDatabase.count("select (payload ->> 'depth')::int from jobs where id = ?", job)).isEqualTo(1);
  }

  @Test
  void the_pipelines_own_check_refuses_with_400_naming_its_field_and_stores_nothing() {
    Http.Response response = http.post("/api/v1/jobs", "{\"job_type\":\"page_audit\",\"payload\":{\"url\":\"ftp://x\"}}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("payload.url");
    assertThat(response.json().get("error").asText()).isEqualTo("invalid_request");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  @Test
  void the_article_rules_still_apply_to_articles() {
    Http.Response response = http.post("/api/v1/jobs", "{\"job_type\":\"article\",\"payload\":{\"url\":\"https://example.com\"}}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("payload.title");
  }

  @Test
  void the_intake_hook_writes_its_rows_in_the_jobs_transaction() {
    Http.Response response = http.post("/functions/v1/content-intake",
        "{\"job_type\":\"page_audit\",\"payload\":{\"url\":\"https://example.com/b\"}}");

    UUID job = UUID.fromString(response.json().get("job_id").asText());
    assertThat(TestDatabase.count("select count(*) from intake_rules_test_pages where job_id = ? and url = 'https://example.com/b'", job))
        .isEqualTo(1);
  }

  @Test
  void when_the_intake_hook_refuses_the_job_nothing_of_it_is_stored() {
    Http.Response response = http.post("/functions/v1/content-intake",
        "{\"job_type\":\"page_audit\",\"payload\":{\"url\":\"https://example.com/refuse-the-row\"}}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("payload.url");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
    assertThat(TestDatabase.count("select count(*) from intake_rules_test_pages")).isZero();
  }
}
