package io.planperfect.stages.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.testing.Http;
import io.planperfect.testing.ProviderStub;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Generation's component-generation written by a model: a local server speaks the provider's protocol,
 * a real node runs the generation pipeline with the node's models, and the request, the stored page,
 * the stage result's model and prompt version and the usage ledger are checked.
 */
class GenerationThroughModelTest {
  private static final String KEY = "sk-test-generation-7c1d";
  private static final String PAYLOAD = """
      {"job_type": "generation", "payload": {"pageType": "category",
       "targetUrl": "https://shop.example.com/c/garden-tools", "keywords": ["garden tools", "pruning shears"],
       "brandVoice": "warm and expert", "language": "en"}}""";

  private ProviderStub stub;
  private PlanPerfectNode node;
  private Http http;

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
  void a_category_page_is_written_by_the_openai_model_and_its_call_is_in_the_ledger() {
    stub = new ProviderStub(GenerationStubAnswers::components);
    start(openAi());

    UUID job = submit();
    awaitStatus(job, "completed");

    ProviderStub.Request request = stub.requests().get(0);
    assertThat(stub.requests()).hasSize(1);
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.body().path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(request.system()).contains("category page", "exactly 3 FAQ entries");
    assertThat(request.user()).contains("Page type: category", "garden tools, pruning shears", "warm and expert",
        "Language: en");

    JsonNode components = payload(job, "component-generation");
    assertThat(components.path("writer").asText()).isEqualTo("model");
    assertThat(components.path("model").path("provider").asText()).isEqualTo("openai");
    assertThat(components.path("model").path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(components.path("model").path("prompt_version").asText()).isEqualTo("generation/components@v1");
    JsonNode page = http.get("/api/v1/pages/" + job).json();
    assertThat(page.path("title").asText()).isEqualTo("Garden Tools Chosen to Last");
    assertThat(page.path("markdown").asText()).contains("## Pruning Shears That Stay Sharp", "Which garden tools come first?");
    assertThat(page.path("quality").path("passed").asBoolean()).as(page.path("quality").toString()).isTrue();

    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and pipeline = 'generation'"
        + " and stage = 'component-generation' and outcome = 'ok' and prompt_version = 'generation/components@v1'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select sum(input_tokens) from llm_calls where job_id = ?", job)).isEqualTo(stub.inputTokens());
    assertThat(TestDatabase.count("select sum(output_tokens) from llm_calls where job_id = ?", job)).isEqualTo(stub.outputTokens());
  }

  @Test
  void components_that_break_the_schema_are_asked_for_again_with_the_problems_fed_back() {
    AtomicInteger calls = new AtomicInteger();
    stub = new ProviderStub(request -> calls.incrementAndGet() == 1
        ? new ProviderStub.Text("{\"title\": \"Garden tools\", \"faq\": []}", 50, 10)
        : GenerationStubAnswers.components(request));
    start(openAi());

    UUID job = submit();
    awaitStatus(job, "completed");

    assertThat(stub.requests()).hasSize(2);
    assertThat(stub.requests().get(1).user()).contains("Your previous answer was not valid", "meta_description must be",
        "faq must have 3 to 3 entries, got 0");
    assertThat(payload(job, "component-generation").path("title").asText()).isEqualTo("Garden Tools Chosen to Last");
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and outcome = 'invalid_output'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and outcome = 'ok'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'component-generation'",
        job)).isEqualTo(1);
  }

  @Test
  void a_429_makes_component_generation_wait_its_retry_after_without_spending_an_attempt() {
    AtomicInteger calls = new AtomicInteger();
    stub = new ProviderStub(request -> calls.incrementAndGet() == 1
        ? new ProviderStub.Error(429, "{\"error\":{\"message\":\"Rate limit reached\"}}", Map.of("Retry-After", "1"))
        : GenerationStubAnswers.components(request));
    start(openAi());

    UUID job = submit();
    awaitStatus(job, "completed");

    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and stage = 'component-generation'"
        + " and event_type = 'waiting' and metadata->>'delay_ms' = '1000'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ? and stage = 'component-generation'",
        job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ? and outcome = 'rate_limited'", job))
        .isEqualTo(1);
    assertThat(payload(job, "component-generation").path("writer").asText()).isEqualTo("model");
  }

  @Test
  void a_page_is_written_through_the_anthropic_protocol() {
    stub = new ProviderStub(GenerationStubAnswers::components);
    start(Map.of("PLANPERFECT_LLM_PROVIDER", "anthropic", "ANTHROPIC_API_KEY", KEY,
        "ANTHROPIC_BASE_URL", stub.baseUrl(), "PLANPERFECT_LLM_MODEL", "claude-3-5-haiku-latest"));

    UUID job = submit();
    awaitStatus(job, "completed");

    assertThat(stub.requests()).singleElement().satisfies(request -> {
      assertThat(request.path()).isEqualTo("/v1/messages");
      assertThat(request.body().path("model").asText()).isEqualTo("claude-3-5-haiku-latest");
      assertThat(request.system()).contains("category page");
    });
    assertThat(payload(job, "component-generation").path("model").path("provider").asText()).isEqualTo("anthropic");
    assertThat(TestDatabase.count("select sum(input_tokens + output_tokens) from llm_calls where job_id = ?", job))
        .isEqualTo(stub.inputTokens() + stub.outputTokens());
  }

  @Test
  void component_generation_configured_offline_writes_offline_and_calls_no_model() {
    stub = new ProviderStub(GenerationStubAnswers::components);
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set llm_provider = 'offline'"
        + " where queue = 'generation' and stage = 'component-generation'"));
    start(openAi());

    UUID job = submit();
    awaitStatus(job, "completed");

    assertThat(stub.requests()).isEmpty();
    JsonNode components = payload(job, "component-generation");
    assertThat(components.path("writer").asText()).isEqualTo("offline");
    assertThat(components.has("model")).isFalse();
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ?", job)).isZero();
  }

  private Map<String, String> openAi() {
    return Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", KEY, "OPENAI_BASE_URL", stub.baseUrl(),
        "PLANPERFECT_LLM_MODEL", "gpt-4o-mini");
  }

  private void start(Map<String, String> env) {
    Models models = new Models(LlmSettings.fromEnvironment(env));
    node = TestNode.start(new PipelineRegistry(List.of(
        GenerationPipeline.definition(models, TargetPageSource.NOT_CONFIGURED, Clock.systemUTC()))), env);
    http = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  private UUID submit() {
    Http.Response response = http.post("/api/v1/jobs", PAYLOAD);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return UUID.fromString(response.json().path("job_id").asText());
  }

  private static void awaitStatus(UUID job, String status) {
    await().atMost(Duration.ofSeconds(60)).until(() -> TestDatabase.count(
        "select count(*) from jobs where id = ? and status = ?", job, status) == 1);
  }

  private static JsonNode payload(UUID job, String stage) {
    return Json.read(TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select data::text from job_payloads where job_id = :id and stage = :stage")
        .bind("id", job).bind("stage", stage).mapTo(String.class).one()));
  }
}
