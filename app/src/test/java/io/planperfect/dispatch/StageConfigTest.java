package io.planperfect.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import io.planperfect.worker.StageFilter;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stage config (seed 000): pause and resume, env overrides, remote worker endpoints, the dispatcher's JSON. */
class StageConfigTest {
  private static final String SUBMIT = """
      {"job_type": "article", "payload": {"title": "Config %d", "keywords": ["config"], "word_count": 150}}""";

  private PlanPerfectNode node;
  private PlanPerfectNode other;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @AfterEach
  void stop() {
    if (other != null) {
      other.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static PlanPerfectNode start(Map<String, String> env) {
    return PlanPerfectNode.start(TestNode.settings(), new PipelineRegistry(List.of(ContentPipeline.definition())),
        new NodeOptions(StageFilter.ALL, true, StageLimits.fromEnvironment(env)));
  }

  private static void submit(PlanPerfectNode target, int jobs) {
    Http http = new Http(target.port(), TestNode.ANON_KEY);
    for (int i = 0; i < jobs; i++) {
      assertThat(http.post("/functions/v1/content-intake", SUBMIT.formatted(i)).status()).isEqualTo(201);
    }
  }

  private static long completed() {
    return TestDatabase.count("select count(*) from jobs where status = 'completed'");
  }

  private static void sql(String statement) {
    TestDatabase.jdbi().useHandle(h -> h.execute(statement));
  }

  @Test
  void a_disabled_stage_claims_nothing_and_resumes_when_enabled() throws Exception {
    node = start(Map.of());
    sql("update content_stage_config set enabled = false where stage = 'draft';");
    submit(node, 10);

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from job_stages where stage = 'outline' and status = 'completed'") == 10);
    // why: a deliberate gap (a dispatcher cycle and more) in which a disabled stage must claim nothing
    Thread.sleep(1_000);
    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'draft' and status <> 'queued'")).isZero();
    assertThat(TestDatabase.count("select ready_count from get_content_stage_backlog() where stage = 'draft'")).isEqualTo(10);

    sql("update content_stage_config set enabled = true where stage = 'draft';");
    await().atMost(Duration.ofSeconds(20)).until(() -> completed() == 10);
  }

  @Test
  void an_environment_override_of_zero_disables_a_stage_the_table_enables() throws Exception {
    node = start(Map.of("CONTENT_STAGE_QA_MAX_CONCURRENCY", "0"));
    submit(node, 5);

    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from job_stages where stage = 'draft' and status = 'completed'") == 5);
    // why: a deliberate gap (a dispatcher cycle and more) in which a stage limited to zero must run nothing
    Thread.sleep(1_000);

    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'qa' and status = 'completed'")).isZero();
    assertThat(TestDatabase.count("select max_concurrency from content_stage_config where queue = 'content' and stage = 'qa'")).isEqualTo(10);
  }

  @Test
  void an_environment_override_wins_over_the_table_limit() {
    assertThat(StageLimits.fromEnvironment(Map.of("CONTENT_STAGE_RESEARCH_MAX_CONCURRENCY", "2")).overrideFor("content", "research"))
        .contains(2);
    assertThat(StageLimits.fromEnvironment(Map.of("PAGEPERFECT_STAGE_KEYWORD_CLUSTERING_MAX_CONCURRENCY", "3"))
        .overrideFor("pageperfect", "keyword-clustering")).contains(3);
    assertThat(StageLimits.fromEnvironment(Map.of()).overrideFor("content", "research")).isEmpty();
  }

  @Test
  void an_override_names_its_queue_so_a_stage_name_two_pipelines_share_is_set_apart() {
    StageLimits limits = StageLimits.fromEnvironment(Map.of(
        "CONTENT_STAGE_COMPLETE_MAX_CONCURRENCY", "0", "SCHEMA_STAGE_COMPLETE_MAX_CONCURRENCY", "5"));

    assertThat(limits.overrideFor("content", "complete")).contains(0);
    assertThat(limits.overrideFor("schema", "complete")).contains(5);
    assertThat(limits.overrideFor("generation", "complete")).isEmpty();
    assertThat(StageLimits.variableFor("pageperfect", "wait_crawl")).isEqualTo("PAGEPERFECT_STAGE_WAIT_CRAWL_MAX_CONCURRENCY");
  }

  @Test
  void a_stage_with_a_worker_endpoint_is_worked_through_that_endpoint() throws Exception {
    node = start(Map.of());
    other = start(Map.of());
    sql("update content_stage_config set worker_endpoint = 'http://127.0.0.1:" + other.port()
        + "/functions/v1/content-research-worker', trigger_batch_size = 4 where queue = 'content' and stage = 'research';");

    submit(node, 6);

    await().atMost(Duration.ofSeconds(30)).until(() -> completed() == 6);
  }

  @Test
  void an_unreachable_worker_endpoint_is_reported_in_the_dispatch_cycle_and_the_work_waits() throws Exception {
    node = start(Map.of());
    sql("update content_stage_config set worker_endpoint = 'http://127.0.0.1:9/functions/v1/content-research-worker' "
        + "where queue = 'content' and stage = 'research';");
    submit(node, 2);

    JsonNode report = new Http(node.port(), TestNode.SERVICE_KEY).post("/functions/v1/content-queue-dispatcher", "{\"source\":\"manual\"}").json();

    assertThat(report.get("errors")).anySatisfy(e -> assertThat(e.get("stage").asText()).isEqualTo("research"));
    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'research' and status = 'completed'")).isZero();
  }

  @Test
  void the_dispatcher_route_answers_the_seed_json() throws Exception {
    // A stand-in worker endpoint that accepts every trigger (202) and consumes nothing, so the
    // backlog, and with it the cycle's answer, stays put whatever the node's own timer does.
    HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger triggers = new AtomicInteger();
    endpoint.createContext("/worker", exchange -> {
      triggers.incrementAndGet();
      exchange.sendResponseHeaders(202, -1);
      exchange.close();
    });
    endpoint.start();
    try {
      node = start(Map.of());
      sql("update content_stage_config set worker_endpoint = 'http://127.0.0.1:" + endpoint.getAddress().getPort()
          + "/worker', trigger_batch_size = 3 where queue = 'content' and stage = 'research';");
      submit(node, 3);

      Http.Response response = new Http(node.port(), TestNode.SERVICE_KEY)
          .post("/functions/v1/content-queue-dispatcher", "{\"source\":\"manual\"}");

      assertThat(response.status()).isEqualTo(200);
      JsonNode report = response.json();
      assertThat(report.get("message").asText()).isEqualTo("Dispatch cycle completed");
      assertThat(report.get("errors")).isEmpty();
      assertThat(report.get("duration_ms").isIntegralNumber()).isTrue();
      assertThat(report.get("dispatches")).singleElement().satisfies(d -> {
        assertThat(d.get("stage").asText()).isEqualTo("research");
        assertThat(d.get("queue").asText()).isEqualTo("content");
        assertThat(d.get("workers_triggered").asInt()).isEqualTo(3);
      });
      assertThat(triggers.get()).isGreaterThanOrEqualTo(3);
      assertThat(new Http(node.port(), TestNode.ANON_KEY).post("/functions/v1/content-queue-dispatcher", "").status()).isEqualTo(403);
    } finally {
      endpoint.stop(0);
    }
  }

  @Test
  void a_worker_endpoint_answers_202_with_the_job_when_it_took_a_message_and_204_when_none() {
    node = start(Map.of());
    sql("update content_stage_config set worker_endpoint = 'http://127.0.0.1:9/unused' where queue = 'content' and stage = 'research';");
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);
    submit(node, 1);

    Http.Response took = service.post("/functions/v1/content-research-worker", "");
    Http.Response none = service.post("/functions/v1/content-research-worker", "");

    assertThat(took.status()).isEqualTo(202);
    assertThat(took.json().get("message").asText()).isEqualTo("scheduled");
    assertThat(took.json().get("job_id").asText()).hasSize(36);
    assertThat(none.status()).isEqualTo(204);
  }

  @Test
  void the_stage_api_changes_a_limit_and_names_a_bad_field() {
    node = start(Map.of());
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    var put = service.put("/api/v1/stages/content/draft", "{\"max_concurrency\": 7, \"enabled\": false}");
    var bad = service.put("/api/v1/stages/content/draft", "{\"max_concurrency\": -1}");
    var unknown = service.put("/api/v1/stages/content/nope", "{\"enabled\": true}");

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("max_concurrency").asInt()).isEqualTo(7);
    assertThat(TestDatabase.count("select count(*) from content_stage_config where stage = 'draft' and max_concurrency = 7 and not enabled")).isEqualTo(1);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("field").asText()).isEqualTo("max_concurrency");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(service.get("/api/v1/stages").json()).anySatisfy(s -> assertThat(s.get("backlog")).isNotNull());
  }

  @Test
  void the_stage_api_lists_a_pipeline_s_stages_in_the_order_a_job_meets_them() {
    node = start(Map.of());
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    JsonNode listed = service.get("/api/v1/stages").json();

    List<String> contentStages = new java.util.ArrayList<>();
    listed.forEach(s -> {
      if (s.get("queue").asText().equals("content")) {
        contentStages.add(s.get("stage").asText());
      }
    });
    assertThat(contentStages).isEqualTo(ContentPipeline.definition().stageNames());
  }

  @Test
  void the_stage_api_sets_retry_settings_and_get_shows_them() {
    node = start(Map.of());
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    var put = service.put("/api/v1/stages/content/export", "{\"max_attempts\": 6, \"retry_delay_seconds\": 120}");
    JsonNode listed = service.get("/api/v1/stages").json();

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("max_attempts").asInt()).isEqualTo(6);
    assertThat(put.json().get("retry_delay_seconds").asInt()).isEqualTo(120);
    assertThat(listed).filteredOn(s -> s.get("queue").asText().equals("content") && s.get("stage").asText().equals("export"))
        .singleElement().satisfies(s -> {
          assertThat(s.get("max_attempts").asInt()).isEqualTo(6);
          assertThat(s.get("retry_delay_seconds").asInt()).isEqualTo(120);
        });
    assertThat(listed).filteredOn(s -> s.get("stage").asText().equals("draft"))
        .allSatisfy(s -> assertThat(s.get("max_attempts").isNull()).isTrue());
  }

  @Test
  void the_stage_api_clears_a_retry_setting_with_null_and_leaves_unnamed_ones_alone() {
    node = start(Map.of());
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);
    sql("update content_stage_config set max_attempts = 6, retry_delay_seconds = 120 where queue = 'content' and stage = 'export';");

    var put = service.put("/api/v1/stages/content/export", "{\"max_attempts\": null}");

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("max_attempts").isNull()).isTrue();
    assertThat(put.json().get("retry_delay_seconds").asInt()).isEqualTo(120);
  }

  @Test
  void the_stage_api_names_a_bad_retry_field_and_stores_nothing() {
    node = start(Map.of());
    Http service = new Http(node.port(), TestNode.SERVICE_KEY);

    var zero = service.put("/api/v1/stages/content/export", "{\"max_concurrency\": 3, \"max_attempts\": 0}");
    var tooMany = service.put("/api/v1/stages/content/export", "{\"max_attempts\": 26}");
    var text = service.put("/api/v1/stages/content/export", "{\"max_attempts\": \"5\"}");
    var negative = service.put("/api/v1/stages/content/export", "{\"max_concurrency\": 3, \"retry_delay_seconds\": -1}");
    var tooLong = service.put("/api/v1/stages/content/export", "{\"retry_delay_seconds\": 86401}");
    var fraction = service.put("/api/v1/stages/content/export", "{\"retry_delay_seconds\": 1.5}");

    assertThat(List.of(zero, tooMany, text)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("field").asText()).isEqualTo("max_attempts");
    });
    assertThat(List.of(negative, tooLong, fraction)).allSatisfy(r -> {
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.json().get("field").asText()).isEqualTo("retry_delay_seconds");
    });
    assertThat(TestDatabase.count("select count(*) from content_stage_config where queue = 'content' and stage = 'export' "
        + "and max_concurrency = 10 and max_attempts is null and retry_delay_seconds is null")).isEqualTo(1);
  }

  @Test
  void the_database_refuses_retry_settings_out_of_range() {
    for (String bad : List.of("max_attempts = 0", "max_attempts = 26", "retry_delay_seconds = -1", "retry_delay_seconds = 86401")) {
      assertThatThrownBy(() -> sql("update content_stage_config set " + bad + " where stage = 'export';"))
          .as(bad).hasMessageContaining("check constraint");
    }
    sql("update content_stage_config set max_attempts = 5, retry_delay_seconds = 30 where stage = 'export';");
    assertThat(TestDatabase.count("select count(*) from content_stage_config where max_attempts = 5 and retry_delay_seconds = 30")).isEqualTo(1);
  }

  @Test
  void the_seed_playbook_statements_run_as_written() {
    sql("select * from content_stage_config order by stage;");
    sql("update content_stage_config set max_concurrency = 10 where stage = 'research';");
    sql("update content_stage_config set enabled = false where stage = 'draft';");
    sql("select * from get_content_stage_backlog() order by stage;");
    sql("select * from content_stage_config where stage = 'research';");
    sql("select * from get_content_stage_backlog() where stage = 'research';");

    assertThat(TestDatabase.count("select count(*) from get_content_stage_backlog()")).isEqualTo(6);
    assertThat(TestDatabase.count("select count(*) from content_stage_config where stage = 'draft' and not enabled "
        + "and last_updated_at > now() - interval '1 minute'")).isEqualTo(1);
  }
}
