package io.planperfect.ai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.config.LlmSettings;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.ArticleWriterStub;
import io.planperfect.testing.Http;
import io.planperfect.testing.ProviderStub;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Articles written through real provider protocols: a local server speaks OpenAI's
 * {@code /v1/chat/completions} or Anthropic's {@code /v1/messages}, a real node runs the content
 * pipeline against it, and the usage ledger, the job's answer and the stored texts are checked.
 */
class ModelPipelineTest {
  private static final String KEY = "sk-test-secret-4f2a9c";
  private static final String PAYLOAD = """
      {"title": "Growing Tomatoes on a Small Balcony",
       "keywords": ["container gardening", "tomato varieties", "watering schedule"],
       "tone": "friendly", "audience": "beginners", "word_count": 600}""";

  private ProviderStub stub;
  private PlanPerfectNode node;
  private PipelineDefinition content;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void an_article_is_written_through_the_openai_protocol_and_every_call_is_in_the_ledger() {
    stub = new ProviderStub(new ArticleWriterStub());
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    List<ProviderStub.Request> requests = stub.requests();
    assertThat(requests).isNotEmpty().allSatisfy(request -> {
      assertThat(request.path()).isEqualTo("/v1/chat/completions");
      assertThat(request.header("Authorization")).isEqualTo("Bearer " + KEY);
      assertThat(request.body().path("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(request.body().path("messages").get(0).path("role").asText()).isEqualTo("system");
      assertThat(request.body().path("max_tokens").asInt()).isPositive();
    });
    // research, outline, one call per section (intro, 2 keyword sections, FAQ, conclusion), the review
    assertThat(requests).hasSize(1 + 1 + 5 + 1);
    JsonNode outline = payload(job, "outline");
    assertThat(outline.path("model").path("prompt_version").asText()).isEqualTo("content/outline@v1");
    assertThat(outline.path("model").path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(outline.path("sections")).extracting(s -> s.path("heading").asText())
        .contains("Choosing Containers", "Picking Tomato Varieties", "Frequently Asked Questions");
    JsonNode draft = payload(job, "draft");
    assertThat(draft.path("markdown").asText()).contains("## Choosing Containers", "## Picking Tomato Varieties");
    assertThat(draft.path("word_count").asInt()).isBetween(510, 690);
    assertThat(payload(job, "qa").path("passed").asBoolean()).as(payload(job, "qa").toString()).isTrue();

    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and outcome = 'ok'", job))
        .isEqualTo(requests.size());
    assertThat(TestDatabase.count("select sum(input_tokens) from llm_calls where job_id = ?", job)).isEqualTo(stub.inputTokens());
    assertThat(TestDatabase.count("select sum(output_tokens) from llm_calls where job_id = ?", job)).isEqualTo(stub.outputTokens());
    BigDecimal expected = BigDecimal.valueOf(stub.inputTokens() * 0.15 + stub.outputTokens() * 0.60)
        .divide(BigDecimal.valueOf(1_000_000));
    BigDecimal cost = TestDatabase.jdbi().withHandle(h -> h.createQuery("select sum(cost_usd) from llm_calls where job_id = :id")
        .bind("id", job).mapTo(BigDecimal.class).one());
    assertThat(cost).isCloseTo(expected, org.assertj.core.data.Offset.offset(new BigDecimal("0.00001")));

    Http http = new Http(node.port(), TestNode.SERVICE_KEY);
    JsonNode usage = http.get("/api/v1/jobs/" + job).json().path("usage");
    assertThat(usage.path("calls").asLong()).isEqualTo(requests.size());
    assertThat(usage.path("input_tokens").asLong()).isEqualTo(stub.inputTokens());
    assertThat(usage.path("output_tokens").asLong()).isEqualTo(stub.outputTokens());
    assertThat(usage.path("stages")).extracting(s -> s.path("stage").asText())
        .containsExactly("research", "outline", "draft", "qa");
    JsonNode byModel = http.get("/api/v1/usage?group_by=model").json();
    assertThat(byModel.path("groups")).hasSize(1);
    assertThat(byModel.path("groups").get(0).path("key").asText()).isEqualTo("openai/gpt-4o-mini");
    assertThat(byModel.path("groups").get(0).path("output_tokens").asLong()).isEqualTo(stub.outputTokens());
    assertThat(http.get("/api/v1/usage?group_by=colour").status()).isEqualTo(400);
    assertThat(http.get("/api/v1/usage?since=yesterday").status()).isEqualTo(400);
  }

  @Test
  void an_article_is_written_through_the_anthropic_protocol() {
    stub = new ProviderStub(new ArticleWriterStub());
    start(Map.of("PLANPERFECT_LLM_PROVIDER", "anthropic", "ANTHROPIC_API_KEY", KEY,
        "ANTHROPIC_BASE_URL", stub.baseUrl(), "PLANPERFECT_LLM_MODEL", "claude-3-5-haiku-latest"));

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    assertThat(stub.requests()).hasSize(8).allSatisfy(request -> {
      assertThat(request.path()).isEqualTo("/v1/messages");
      assertThat(request.header("x-api-key")).isEqualTo(KEY);
      assertThat(request.header("anthropic-version")).isNotBlank();
      assertThat(request.body().path("model").asText()).isEqualTo("claude-3-5-haiku-latest");
      assertThat(request.body().path("max_tokens").asInt()).isPositive();
      assertThat(request.system()).isNotBlank();
    });
    assertThat(payload(job, "draft").path("model").path("provider").asText()).isEqualTo("anthropic");
    assertThat(TestDatabase.count("select sum(input_tokens + output_tokens) from llm_calls where job_id = ?", job))
        .isEqualTo(stub.inputTokens() + stub.outputTokens());
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and cost_usd > 0", job)).isEqualTo(8);
  }

  @Test
  void a_429_and_a_503_make_the_stage_wait_their_retry_after_then_the_call_succeeds() {
    AtomicInteger calls = new AtomicInteger();
    ArticleWriterStub writer = new ArticleWriterStub();
    stub = new ProviderStub(request -> switch (calls.incrementAndGet()) {
      case 1 -> new ProviderStub.Error(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", Map.of("Retry-After", "1"));
      case 2 -> new ProviderStub.Error(503, "{\"error\":{\"message\":\"Overloaded\"}}", Map.of("Retry-After", "2"));
      default -> writer.apply(request);
    });
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    List<String> delays = TestDatabase.jdbi().withHandle(h -> h.createQuery("select metadata->>'delay_ms' from job_events"
        + " where job_id = :id and stage = 'research' and event_type = 'waiting' order by seq").bind("id", job)
        .mapTo(String.class).list());
    assertThat(delays).containsExactly("1000", "2000");
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'research' and outcome = 'unavailable'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'research'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'research' and outcome = 'rate_limited'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'research' and outcome = 'ok'", job))
        .isEqualTo(1);
  }

  @Test
  void a_401_dead_letters_the_job_with_the_provider_message_and_no_stored_text_holds_the_key() {
    stub = new ProviderStub(request -> new ProviderStub.Error(401,
        "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + "\",\"type\":\"invalid_request_error\"}}", Map.of()));
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "failed");

    assertThat(stub.requests()).hasSize(1);
    String reason = TestDatabase.jdbi().withHandle(h -> h.createQuery("select failure_reason from dead_letters where job_id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(reason).contains("Permanent failure", "HTTP 401", "Incorrect API key provided: ***").doesNotContain(KEY);
    for (String table : List.of("jobs", "job_stages", "job_events", "dead_letters", "job_payloads", "llm_calls", "queue_archive")) {
      assertThat(TestDatabase.count("select count(*) from " + table + " t where t::text like ?", "%" + KEY + "%"))
          .as(table).isZero();
    }
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and outcome = 'rejected'", job)).isEqualTo(1);
  }

  @Test
  void a_malformed_outline_is_asked_for_again_with_the_problems_fed_back_and_the_correction_is_used() {
    AtomicInteger outlines = new AtomicInteger();
    stub = new ProviderStub(new ArticleWriterStub() {
      @Override
      protected String outline() {
        return switch (outlines.incrementAndGet()) {
          case 1 -> "Sure! Here is the outline you asked for.";
          case 2 -> "{\"sections\": [{\"heading\": \"Only one\"}]}";
          default -> super.outline();
        };
      }
    });
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    List<ProviderStub.Request> outlineRequests = stub.requests().stream()
        .filter(r -> r.system().contains("You plan web articles")).toList();
    assertThat(outlineRequests).hasSize(3);
    assertThat(outlineRequests.get(1).user()).contains("Your previous answer was not valid: the answer is not a JSON object");
    assertThat(outlineRequests.get(2).user()).contains("sections must have 2 to 8 entries, got 1",
        "sections[0].intent must be a non-empty string");
    assertThat(payload(job, "outline").path("sections")).extracting(s -> s.path("heading").asText())
        .contains("Choosing Containers");
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'outline'", job)).isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'outline'"
        + " and outcome = 'invalid_output' and error like '%not a JSON object%'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'outline' and outcome = 'ok'", job))
        .isEqualTo(1);
  }

  @Test
  void an_outline_still_malformed_after_two_corrections_fails_the_attempt() {
    stub = new ProviderStub(new ArticleWriterStub() {
      @Override
      protected String outline() {
        return "[]";
      }
    });
    start(openAi(), Map.of("CONTENT_STAGE_MAX_ATTEMPTS", "1"));

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "failed");

    assertThat(stub.requests().stream().filter(r -> r.system().contains("You plan web articles"))).hasSize(3);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'error'"
        + " and message like '%did not meet the schema after 3 answers%'", job)).isEqualTo(1);
    // the failed attempt's calls are kept
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'outline'", job)).isEqualTo(3);
  }

  @Test
  void a_job_whose_cost_cap_is_spent_fails_with_the_reason_and_makes_no_further_call() {
    stub = new ProviderStub(new ArticleWriterStub());
    start(openAi());

    ObjectNode payload = (ObjectNode) Json.read(PAYLOAD);
    payload.put("max_cost_usd", 0.0000001);
    UUID job = submit(payload.toString());
    awaitStatus(job, "failed");

    assertThat(stub.requests()).hasSize(1);
    String reason = TestDatabase.jdbi().withHandle(h -> h.createQuery("select failure_reason from dead_letters where job_id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(reason).contains("max_cost_usd", "is spent");
  }

  @Test
  void a_failing_review_sends_the_draft_back_once_with_the_findings_and_export_uses_the_redraft() {
    AtomicInteger reviews = new AtomicInteger();
    stub = new ProviderStub(new ArticleWriterStub() {
      @Override
      protected String review(ProviderStub.Request request) {
        return reviews.incrementAndGet() == 1
            ? "{\"passed\": false, \"findings\": [\"the watering advice is too vague\"]}"
            : super.review(request);
      }
    });
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    JsonNode qa = payload(job, "qa");
    assertThat(qa.path("passed").asBoolean()).isTrue();
    assertThat(qa.path("policy").asText()).isEqualTo("redraft");
    assertThat(qa.path("first_review").path("passed").asBoolean()).isFalse();
    List<ProviderStub.Request> redrafts = stub.requests().stream()
        .filter(r -> r.user().contains("An editor reviewed an earlier draft and found")).toList();
    assertThat(redrafts).hasSize(5).allSatisfy(r -> assertThat(r.user()).contains("the watering advice is too vague"));
    String redrafted = qa.path("draft").path("markdown").asText();
    assertThat(redrafted).isNotEqualTo(payload(job, "draft").path("markdown").asText());
    String body = redrafted.substring(redrafted.indexOf("## Choosing Containers") + "## Choosing Containers".length()).strip();
    String firstSentence = body.substring(0, body.indexOf('.') + 1);
    assertThat(payload(job, "export").path("html").asText().contains(firstSentence)).as("export uses the redraft").isTrue();
  }

  @Test
  void the_stages_qa_policy_applies_when_the_job_names_none_and_the_jobs_wins_when_it_does() {
    stub = new ProviderStub(new ArticleWriterStub() {
      @Override
      protected String review(ProviderStub.Request request) {
        return "{\"passed\": false, \"findings\": [\"bland\"]}";
      }
    });
    start(openAi());
    Http http = new Http(node.port(), TestNode.SERVICE_KEY);
    assertThat(http.put("/api/v1/stages/content/qa", "{\"qa_policy\": \"continue\"}").json().path("qa_policy").asText())
        .isEqualTo("continue");
    assertThat(http.put("/api/v1/stages/content/qa", "{\"qa_policy\": \"sometimes\"}").status()).isEqualTo(400);
    await().pollDelay(Duration.ofMillis(5100)).atMost(Duration.ofSeconds(10)).until(() -> true);

    UUID byStage = submit(PAYLOAD);
    ObjectNode failing = (ObjectNode) Json.read(PAYLOAD);
    failing.put("qa_policy", "fail");
    UUID byJob = submit(failing.toString());
    awaitStatus(byStage, "completed");
    awaitStatus(byJob, "failed");

    assertThat(payload(byStage, "qa").path("passed").asBoolean()).isFalse();
    assertThat(payload(byStage, "qa").path("policy").asText()).isEqualTo("continue");
    String reason = TestDatabase.jdbi().withHandle(h -> h.createQuery("select failure_reason from dead_letters where job_id = :id")
        .bind("id", byJob).mapTo(String.class).one());
    assertThat(reason).contains("QA failed (qa_policy=fail)", "model_review: bland");
  }

  @Test
  void a_review_that_fails_again_after_the_redraft_fails_the_job() {
    stub = new ProviderStub(new ArticleWriterStub() {
      @Override
      protected String review(ProviderStub.Request request) {
        return "{\"passed\": false, \"findings\": [\"off topic\"]}";
      }
    });
    start(openAi());

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "failed");

    String reason = TestDatabase.jdbi().withHandle(h -> h.createQuery("select failure_reason from dead_letters where job_id = :id")
        .bind("id", job).mapTo(String.class).one());
    assertThat(reason).contains("QA failed after one redraft", "model_review: off topic");
  }

  @Test
  void a_stage_over_its_providers_request_limit_waits_with_an_event_instead_of_calling() {
    stub = new ProviderStub(new ArticleWriterStub());
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into llm_limits (provider, requests_per_minute) values ('openai', 2)"));
    start(openAi());

    UUID job = submit(PAYLOAD);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
        "select count(*) from job_events where job_id = ? and event_type = 'waiting' and message like '%openai rate limit%'", job) > 0);

    assertThat(stub.requests()).hasSize(2);
    assertThat(TestDatabase.count("select count(*) from llm_admissions where provider = 'openai'")).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and status in ('queued', 'processing')", job)).isEqualTo(1);
  }

  @Test
  void a_stage_over_its_providers_token_limit_waits_after_the_first_call() {
    stub = new ProviderStub(new ArticleWriterStub());
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into llm_limits (provider, tokens_per_minute) values ('openai', 1000)"));
    start(openAi());

    UUID job = submit(PAYLOAD);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
        "select count(*) from job_events where job_id = ? and event_type = 'waiting' and message like '%tokens/min%'", job) > 0);

    // research (its estimate under 1000 tokens) is admitted; the outline's estimate (1500 output tokens) would pass the limit
    assertThat(stub.requests()).hasSize(1);
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and stage = 'outline' and event_type = 'waiting'", job))
        .isEqualTo(1);
  }

  @Test
  void a_spent_daily_budget_makes_stages_wait_until_the_next_utc_day_and_raises_an_alert() {
    stub = new ProviderStub(new ArticleWriterStub());
    TestDatabase.jdbi().useHandle(h -> h.execute("insert into llm_limits (provider, daily_budget_usd) values ('openai', 0)"));
    start(openAi());

    UUID job = submit(PAYLOAD);
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
        "select count(*) from job_events where job_id = ? and event_type = 'waiting' and message like '%daily budget%'", job) > 0);

    assertThat(stub.requests()).isEmpty();
    assertThat(TestDatabase.count("select count(*) from monitoring_alerts where alert_type = 'llm_daily_budget'"
        + " and alert_key = 'openai' and status = 'active'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'research'"
        + " and vt >= date_trunc('day', now() at time zone 'utc') at time zone 'utc' + interval '1 day' - interval '5 seconds'", job))
        .isEqualTo(1);
  }

  @Test
  void a_job_cancelled_while_its_stage_waits_for_the_provider_stops_waiting() {
    java.util.concurrent.CountDownLatch called = new java.util.concurrent.CountDownLatch(1);
    stub = new ProviderStub(request -> {
      called.countDown();
      try {
        // why so long: the provider never answers within the test; only the interrupt ends the wait
        Thread.sleep(120_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new ProviderStub.Text("- late", 1, 1);
    });
    start(openAi(), Map.of("CONTENT_QUEUE_VISIBILITY", "3"));
    UUID job = submit(PAYLOAD);
    await().atMost(Duration.ofSeconds(10)).until(() -> called.getCount() == 0);

    assertThat(new Http(node.port(), TestNode.SERVICE_KEY).post("/api/v1/jobs/" + job + "/cancel", "{}").status()).isEqualTo(200);

    await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
        "select count(*) from job_events where job_id = ? and event_type = 'stale_ack'", job) > 0);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and status = 'cancelled'", job)).isEqualTo(1);
  }

  @Test
  void a_stage_configured_offline_writes_with_the_offline_writer_while_the_others_call_the_model() {
    stub = new ProviderStub(new ArticleWriterStub());
    start(openAi());
    Http http = new Http(node.port(), TestNode.SERVICE_KEY);
    assertThat(http.put("/api/v1/stages/content/draft", "{\"llm_provider\": \"offline\"}").json().path("llm_provider").asText())
        .isEqualTo("offline");
    assertThat(http.put("/api/v1/stages/content/draft", "{\"llm_provider\": \"gpt\"}").status()).isEqualTo(400);
    await().pollDelay(Duration.ofMillis(5100)).atMost(Duration.ofSeconds(10)).until(() -> true);

    UUID job = submit(PAYLOAD);
    awaitStatus(job, "completed");

    assertThat(payload(job, "draft").has("model")).isFalse();
    assertThat(payload(job, "outline").path("model").path("provider").asText()).isEqualTo("openai");
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and stage = 'draft'", job)).isZero();
  }

  @Test
  void the_answers_of_a_generated_faq_page_are_the_models() {
    stub = new ProviderStub(new ArticleWriterStub());
    Map<String, String> env = openAi();
    PipelineDefinition schema = io.planperfect.stages.schema.SchemaPipeline.definition(new Models(LlmSettings.fromEnvironment(env)));
    node = TestNode.start(new PipelineRegistry(List.of(schema)), env);

    UUID job = node.intake().submit(new NewJob(schema, "schema", null, (ObjectNode) Json.read("""
        {"title": "Balcony Tomatoes", "keywords": ["container gardening", "tomato varieties"], "schema_type": "FAQPage"}"""),
        "research", 0));
    awaitStatus(job, "completed");

    JsonNode generated = payload(job, "generate");
    assertThat(generated.path("json_ld").path("mainEntity")).hasSize(2)
        .allSatisfy(q -> assertThat(q.path("acceptedAnswer").path("text").asText()).endsWith("from the model."));
    assertThat(generated.path("model").path("prompt_version").asText()).isEqualTo("schema/faq@v1");
    assertThat(stub.requests()).singleElement().satisfies(r -> assertThat(r.user()).contains("1. ", "2. "));
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and pipeline = 'schema' and stage = 'generate'", job))
        .isEqualTo(1);
  }

  @Test
  void intake_refuses_a_bad_cost_cap_or_qa_policy_naming_the_field_and_stores_nothing() {
    stub = new ProviderStub(new ArticleWriterStub());
    start(openAi());
    Http http = new Http(node.port(), TestNode.SERVICE_KEY);
    Map<String, String> bad = Map.of(
        "\"max_cost_usd\": -1", "payload.max_cost_usd",
        "\"max_cost_usd\": \"lots\"", "payload.max_cost_usd",
        "\"qa_policy\": \"maybe\"", "payload.qa_policy");
    bad.forEach((field, path) -> {
      Http.Response response = http.post("/api/v1/jobs", """
          {"job_type": "article", "payload": {"title": "T", "keywords": ["k"], %s}}""".formatted(field));
      assertThat(response.status()).as(field).isEqualTo(400);
      assertThat(response.json().path("field").asText()).as(field).isEqualTo(path);
    });
    assertThat(http.put("/api/v1/stages/content/draft", "{\"llm_model\": \"\"}").json().path("field").asText())
        .isEqualTo("llm_model");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
  }

  private Map<String, String> openAi() {
    return Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", stub.baseUrl(),
        "PLANPERFECT_LLM_MODEL", "gpt-4o-mini");
  }

  private void start(Map<String, String> env) {
    start(env, Map.of());
  }

  private void start(Map<String, String> env, Map<String, String> more) {
    Map<String, String> all = new HashMap<>(env);
    all.putAll(more);
    content = ContentPipeline.definition(new Models(LlmSettings.fromEnvironment(all)));
    node = TestNode.start(new PipelineRegistry(List.of(content)), all);
  }

  private UUID submit(String payload) {
    return node.intake().submit(new NewJob(content, "article", null, (ObjectNode) Json.read(payload), "research", 0));
  }

  private static void awaitStatus(UUID job, String status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.jdbi().withHandle(h -> h.createQuery(
        "select status from jobs where id = :id").bind("id", job).mapTo(String.class).one()).equals(status));
  }

  private static JsonNode payload(UUID job, String stage) {
    return Json.read(TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select data::text from job_payloads where job_id = :id and stage = :stage")
        .bind("id", job).bind("stage", stage).mapTo(String.class).one()));
  }
}
