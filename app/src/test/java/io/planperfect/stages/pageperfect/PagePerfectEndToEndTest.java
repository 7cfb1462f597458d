package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.LocalSite;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Seed 002's PagePerfect from intake to rewrite through a real node: a local site (127.0.0.1, the one
 * address the node's fetcher allows), the seed's intake paths and /api/v1/jobs, skipSteps, failing pages
 * retried and dead-lettered with the reason, SSRF refusals at intake and through a redirect.
 */
class PagePerfectEndToEndTest {
  private static LocalSite site;
  private static LocalSite refused;
  private static PlanPerfectNode node;
  private static Http anon;
  private static Http service;

  @BeforeAll
  static void start() throws Exception {
    site = TomatoSite.start();
    refused = LocalSite.startOn("127.0.0.2");
    refused.page("/", "<html><title>internal</title></html>");
    site.redirect("/to-internal", 302, refused.url("/"));
    site.status("/gone", 404);
    site.route("/slow", (request, out) -> {
      out.write("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n".getBytes());
      while (true) {
        out.write('a');
        out.flush();
        Thread.sleep(300);
      }
    });
    TestDatabase.clean();
    GuardedFetcher fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32"))
        .withTimeout(Duration.ofSeconds(1)));
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition(), PagePerfectPipeline.definition(fetcher))));
    anon = new Http(node.port(), TestNode.ANON_KEY);
    service = new Http(node.port(), TestNode.SERVICE_KEY);
  }

  @AfterAll
  static void stop() throws Exception {
    node.close();
    site.close();
    refused.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void a_page_is_crawled_segmented_clustered_and_the_missing_topic_is_reported_as_a_gap() {
    String job = submit("/functions/v1/pageperfect-intake", Map.of("url", site.url("/tomatoes"), "keywords", TomatoSite.KEYWORDS));
    awaitStatus(job, "completed");

    Map<String, JsonNode> results = payloads(job);
    assertThat(results).containsOnlyKeys("submit_crawl", "wait_crawl", "segment_embed", "keyword_clustering",
        "gap_analysis", "rewrite_draft");
    JsonNode crawl = results.get("wait_crawl");
    assertThat(crawl.path("http_status").asInt()).isEqualTo(200);
    assertThat(crawl.path("title").asText()).isEqualTo("Growing Tomatoes on a Balcony");
    assertThat(crawl.path("meta_description").asText()).isEqualTo("How to grow tomatoes on a balcony.");
    assertThat(crawl.path("headings")).hasSize(5);
    assertThat(crawl.path("links").toString()).contains("/pruning", "/peppers");
    assertThat(crawl.path("text").asText()).doesNotContain("Balcony Garden");

    JsonNode embedded = results.get("segment_embed");
    assertThat(embedded.path("embedding_model").asText()).isEqualTo("lexical-hash-256");
    assertThat(embedded.path("segments").size()).isGreaterThanOrEqualTo(5);

    JsonNode clusters = results.get("keyword_clustering").path("clusters");
    assertThat(clusters).anySatisfy(c -> assertThat(texts(c.path("keywords")))
        .containsExactlyInAnyOrderElementsOf(TomatoSite.MISSING_TOPIC));

    JsonNode gaps = results.get("gap_analysis");
    assertThat(gaps.path("gap_count").asInt()).isEqualTo(1);
    assertThat(gaps.path("gaps").get(0).asText()).isIn(TomatoSite.MISSING_TOPIC);
    assertThat(gaps.path("clusters")).filteredOn(c -> !c.path("gap").asBoolean())
        .allSatisfy(c -> assertThat(c.path("best_segments").get(0).path("heading").asText()).isNotBlank());

    JsonNode draft = results.get("rewrite_draft");
    assertThat(draft.path("writer").asText()).isEqualTo("offline");
    assertThat(draft.path("sections")).singleElement()
        .satisfies(s -> assertThat(s.path("topic").asText()).isIn(TomatoSite.MISSING_TOPIC));
    assertThat(draft.path("plan").toString()).contains("add_section");
    assertThat(draft.path("markdown").asText()).startsWith("## ");

    assertThat(TestDatabase.count("select count(*) from crawl_jobs where job_id = ?::uuid and status = 'completed'"
        + " and http_status = 200", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from pages where url = ?", site.url("/tomatoes"))).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from page_audits where job_id = ?::uuid and jsonb_array_length(gaps) = 1", job))
        .isEqualTo(1);
  }

  @Test
  void the_workflow_path_and_api_v1_jobs_take_the_same_jobs_and_a_known_page_id() {
    String first = submit("/functions/v1/pageperfect-workflow", Map.of("url", site.url("/tomatoes")));
    awaitStatus(first, "completed");
    assertThat(payloads(first).get("segment_embed").path("keywords_source").asText()).isEqualTo("derived");
    String pageId = TestDatabase.jdbi().withHandle(h -> h.createQuery("select id::text from pages").mapTo(String.class).one());

    Http.Response byId = anon.post("/api/v1/jobs", "{\"job_type\":\"pageperfect\",\"priority\":5,"
        + "\"payload\":{\"pageId\":\"" + pageId + "\",\"keywords\":[\"cherry tomatoes\"]}}");
    assertThat(byId.status()).as(byId.body()).isEqualTo(201);
    String second = byId.json().path("job_id").asText();
    awaitStatus(second, "completed");
    assertThat(payloads(second).get("wait_crawl").path("final_url").asText()).isEqualTo(site.url("/tomatoes"));
    assertThat(TestDatabase.count("select count(*) from pages")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ?::uuid and payload ->> 'page_id' = ?", second, pageId))
        .isEqualTo(1);
  }

  @Test
  void skip_steps_pass_stages_over_and_the_later_stages_make_do() {
    String job = submit("/functions/v1/pageperfect-intake", Map.of("url", site.url("/tomatoes"),
        "keywords", TomatoSite.KEYWORDS, "skipSteps", List.of("submit_crawl", "keyword_clustering")));
    awaitStatus(job, "completed");
    assertThat(payloads(job)).containsOnlyKeys("wait_crawl", "segment_embed", "gap_analysis", "rewrite_draft");
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ?::uuid and status = 'skipped'", job))
        .isEqualTo(2);
    JsonNode gaps = payloads(job).get("gap_analysis");
    assertThat(gaps.path("clusters")).hasSize(TomatoSite.KEYWORDS.size());
    assertThat(texts(gaps.path("gaps"))).containsExactlyInAnyOrderElementsOf(TomatoSite.MISSING_TOPIC);
  }

  @Test
  void a_page_that_404s_is_retried_then_dead_lettered_with_the_status() {
    String job = submit("/functions/v1/pageperfect-intake", Map.of("url", site.url("/gone"), "keywords", List.of("x"),
        "max_attempts", 2, "retry_delay_seconds", 0));
    awaitStatus(job, "failed");
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ?::uuid and stage = 'wait_crawl'", job))
        .isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from pageperfect_dead_letters where job_id = ?::uuid"
        + " and stage = 'wait_crawl' and failure_reason = 'Max retry attempts exceeded'"
        + " and error_details ->> 'message' like '%HTTP 404%'", job)).isEqualTo(1);
  }

  @Test
  void a_page_that_times_out_is_retried_then_dead_lettered_with_the_time_cap() {
    String job = submit("/functions/v1/pageperfect-intake", Map.of("url", site.url("/slow"), "keywords", List.of("x"),
        "max_attempts", 2, "retry_delay_seconds", 0));
    awaitStatus(job, "failed");
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ?::uuid and stage = 'wait_crawl'", job))
        .isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from pageperfect_dead_letters where job_id = ?::uuid"
        + " and failure_reason = 'Max retry attempts exceeded' and error_details ->> 'message' like '%time cap%'", job)).isEqualTo(1);
  }

  @Test
  void a_redirect_to_a_refused_address_dead_letters_at_once_naming_the_rule() {
    String job = submit("/functions/v1/pageperfect-intake", Map.of("url", site.url("/to-internal"), "keywords", List.of("x"),
        "max_attempts", 3));
    awaitStatus(job, "failed");
    assertThat(TestDatabase.count("select attempt_count from job_stages where job_id = ?::uuid and stage = 'wait_crawl'", job))
        .isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from pageperfect_dead_letters where job_id = ?::uuid"
        + " and failure_reason like '%rule loopback%'", job)).isEqualTo(1);
    assertThat(refused.accepted()).isZero();
  }

  @Test
  void bad_input_is_answered_400_naming_the_field_and_nothing_is_stored() {
    assertRefused("{\"keywords\":[\"a\"]}", "payload.url");
    assertRefused("{\"pageId\":\"6a1f1d8e-6a7e-4b39-9d32-5d0e9e3c1a11\"}", "payload.pageId");
    assertRefused("{\"pageId\":\"not-a-uuid\"}", "payload.pageId");
    assertRefused("{\"url\":\"not a url\"}", "payload.url");
    assertRefused("{\"url\":\"ftp://127.0.0.1/x\"}", "payload.url");
    assertRefused("{\"url\":\"" + refused.url("/") + "\"}", "payload.url");
    assertRefused("{\"url\":\"http://169.254.169.254/latest/meta-data/\"}", "payload.url");
    assertRefused("{\"url\":\"http://0x7f.1/\"}", "payload.url");
    assertRefused("{\"url\":\"" + site.url("/tomatoes") + "\",\"skipSteps\":[\"crawl\"]}", "payload.skipSteps[0]");
    assertRefused("{\"url\":\"" + site.url("/tomatoes") + "\",\"skipSteps\":[\"wait_crawl\"]}", "payload.skipSteps[0]");
    assertRefused("{\"url\":\"" + site.url("/tomatoes") + "\",\"keywords\":\"tomatoes\"}", "payload.keywords");
    assertRefused("{\"url\":\"" + site.url("/tomatoes") + "\",\"eps\":7}", "payload.eps");
    assertRefused("{\"url\":\"" + site.url("/tomatoes") + "\",\"priority\":\"urgent\"}", "priority");
    assertThat(TestDatabase.count("select count(*) from jobs")).isZero();
    assertThat(TestDatabase.count("select count(*) from pages")).isZero();
    assertThat(refused.accepted()).isZero();
  }

  @Test
  void the_worker_routes_answer_like_the_content_ones() {
    Http.Response idle = service.post("/functions/v1/pageperfect-gap_analysis-worker", "{}");
    assertThat(idle.status()).isIn(202, 204);
    assertThat(service.post("/functions/v1/content-research-worker", "{}").status()).isEqualTo(idle.status());
  }

  private void assertRefused(String body, String field) {
    Http.Response response = anon.post("/functions/v1/pageperfect-intake", body);
    assertThat(response.status()).as(body + " -> " + response.body()).isEqualTo(400);
    assertThat(response.body()).as(body).contains("\"" + field + "\"");
  }

  private String submit(String path, Map<String, Object> body) {
    Http.Response response = anon.post(path, io.planperfect.json.Json.write(body));
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response.json().path("job_id").asText();
  }

  private void awaitStatus(String job, String status) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ?::uuid and status = ?", job, status) == 1);
  }

  private Map<String, JsonNode> payloads(String job) {
    Http.Response response = anon.get("/api/v1/jobs/" + job + "/payloads");
    assertThat(response.status()).isEqualTo(200);
    Map<String, JsonNode> byStage = new java.util.HashMap<>();
    JsonNode body = response.json();
    for (JsonNode item : body.isArray() ? body : body.path("payloads")) {
      byStage.put(item.path("stage").asText(), item.path("data"));
    }
    return byStage;
  }

  private static List<String> texts(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }
}
