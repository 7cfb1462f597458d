package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.testing.Http;
import io.planperfect.testing.LocalSite;
import io.planperfect.testing.ProviderStub;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PagePerfect's rewrite_draft written by a model: a local site (127.0.0.1, the one address the fetcher
 * allows) is crawled and analysed, a local server speaking OpenAI's protocol writes the rewrite for the
 * gap, and the request, the stored draft, its model and prompt version and the usage ledger are checked.
 */
class PagePerfectThroughModelTest {
  private static final String KEY = "sk-test-pageperfect-2b8e";
  private static final Pattern GAP = Pattern.compile("(?m)^- (.+?) \\(keywords: ");

  private static LocalSite site;
  private ProviderStub stub;
  private PlanPerfectNode node;
  private Http http;

  @BeforeAll
  static void serve() throws Exception {
    site = TomatoSite.start();
  }

  @AfterAll
  static void closeSite() throws Exception {
    site.close();
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
    if (stub != null) {
      stub.close();
    }
  }

  @Test
  void the_rewrite_of_a_crawled_page_is_written_by_the_model_for_its_gap_and_the_call_is_in_the_ledger() {
    stub = new ProviderStub(PagePerfectThroughModelTest::rewrite);
    start();

    String job = submit();
    awaitStatus(job, "completed");

    ProviderStub.Request request = stub.requests().get(0);
    assertThat(stub.requests()).hasSize(1);
    assertThat(request.path()).isEqualTo("/v1/chat/completions");
    assertThat(request.body().path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(request.user()).contains(site.url("/tomatoes"), "Growing Tomatoes on a Balcony", "Watering tomatoes",
        "pruning suckers", "prune tomato suckers");
    String missing = request.user().substring(request.user().indexOf("Missing topics"), request.user().indexOf("Topics already"));
    assertThat(missing).contains("pruning suckers").doesNotContain("cherry tomatoes");

    JsonNode draft = payload(job, "rewrite_draft");
    assertThat(draft.path("writer").asText()).isEqualTo("model");
    assertThat(draft.path("model").path("provider").asText()).isEqualTo("openai");
    assertThat(draft.path("model").path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(draft.path("model").path("prompt_version").asText()).isEqualTo("pageperfect/rewrite@v1");
    assertThat(draft.path("sections")).singleElement().satisfies(s -> {
      assertThat(s.path("topic").asText()).isIn(TomatoSite.MISSING_TOPIC);
      assertThat(s.path("heading").asText()).startsWith("Written by the model: ");
      assertThat(s.path("keywords")).isNotEmpty();
    });
    assertThat(draft.path("plan").get(0).path("action").asText()).isEqualTo("add_section");
    assertThat(draft.path("markdown").asText()).startsWith("## Written by the model: ");
    assertThat(draft.path("suggested_title").asText()).isEqualTo("Growing and Pruning Tomatoes on a Balcony");
    assertThat(draft.path("page_coverage").asDouble()).isPositive();

    assertThat(TestDatabase.count("select count(*) from page_audits where job_id = ?::uuid and writer = 'model'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ?::uuid and pipeline = 'pageperfect'"
        + " and stage = 'rewrite_draft' and outcome = 'ok' and prompt_version = 'pageperfect/rewrite@v1'", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select sum(input_tokens) from llm_calls where job_id = ?::uuid", job))
        .isEqualTo(stub.inputTokens());
    assertThat(TestDatabase.count("select sum(output_tokens) from llm_calls where job_id = ?::uuid", job))
        .isEqualTo(stub.outputTokens());
  }

  @Test
  void a_rewrite_without_a_section_for_the_gap_is_asked_for_again_naming_the_missing_topic() {
    AtomicInteger calls = new AtomicInteger();
    stub = new ProviderStub(request -> calls.incrementAndGet() == 1
        ? new ProviderStub.Text("{\"plan\": [{\"action\": \"retitle\", \"reason\": \"shorter\"}], \"sections\": []}", 40, 10)
        : rewrite(request));
    start();

    String job = submit();
    awaitStatus(job, "completed");

    assertThat(stub.requests()).hasSize(2);
    assertThat(stub.requests().get(1).user()).contains("Your previous answer was not valid", "sections has no entry for the missing topic");
    assertThat(payload(job, "rewrite_draft").path("sections")).hasSize(1);
    assertThat(TestDatabase.count("select count(*) from llm_calls where job_id = ?::uuid and outcome = 'invalid_output'", job))
        .isEqualTo(1);
  }

  /** The stub model's rewrite: a section for each missing topic the prompt lists, a plan, a title. */
  static ProviderStub.Answer rewrite(ProviderStub.Request request) {
    if (!request.system().contains("SEO editor planning the rewrite")) {
      return new ProviderStub.Text("I do not know this prompt.", 10, 5);
    }
    String user = request.user();
    String missing = user.substring(user.indexOf("Missing topics"), user.indexOf("Topics already"));
    ObjectNode answer = Json.object();
    ArrayNode plan = answer.putArray("plan");
    ArrayNode sections = answer.putArray("sections");
    Matcher gap = GAP.matcher(missing);
    while (gap.find()) {
      plan.addObject().put("action", "add_section").put("topic", gap.group(1)).put("reason", "the page never mentions it");
      ObjectNode section = sections.addObject().put("topic", gap.group(1)).put("heading", "Written by the model: " + gap.group(1));
      section.putArray("paragraphs").add("Pinch out the side shoots while they are small.").add("Do it weekly in summer.");
    }
    answer.put("suggested_title", "Growing and Pruning Tomatoes on a Balcony");
    String text = answer.toString();
    return new ProviderStub.Text(text, (request.system().length() + user.length()) / 4 + 1, text.length() / 4 + 1);
  }

  private void start() {
    Map<String, String> env = Map.of("PLANPERFECT_LLM_PROVIDER", "openai", "OPENAI_API_KEY", KEY,
        "OPENAI_BASE_URL", stub.baseUrl(), "PLANPERFECT_LLM_MODEL", "gpt-4o-mini");
    GuardedFetcher fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32"))
        .withTimeout(Duration.ofSeconds(2)));
    node = TestNode.start(new PipelineRegistry(List.of(
        PagePerfectPipeline.definition(new Models(LlmSettings.fromEnvironment(env)), fetcher))), env);
    http = new Http(node.port(), TestNode.ANON_KEY);
  }

  private String submit() {
    Http.Response response = http.post("/functions/v1/pageperfect-intake",
        Json.write(Map.of("url", site.url("/tomatoes"), "keywords", TomatoSite.KEYWORDS)));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().path("job_id").asText();
  }

  private static void awaitStatus(String job, String status) {
    await().atMost(Duration.ofSeconds(60)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ?::uuid and status = ?", job, status) == 1);
  }

  private static JsonNode payload(String job, String stage) {
    return Json.read(TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select data::text from job_payloads where job_id = :id::uuid and stage = :stage")
        .bind("id", job).bind("stage", stage).mapTo(String.class).one()));
  }
}
