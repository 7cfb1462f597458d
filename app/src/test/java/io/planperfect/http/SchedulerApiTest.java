package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 003's scheduler management API and /api/v1/scheduler, on two nodes that both run the scheduler. */
class SchedulerApiTest {
  private static final Map<String, String> SCHEDULER_ON = Map.of(
      "PLANPERFECT_SCHEDULER", "true", "PLANPERFECT_SCHEDULER_POLL_MILLIS", "100");
  private static PlanPerfectNode first;
  private static PlanPerfectNode second;
  private static Http service;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    PipelineRegistry pipelines = new PipelineRegistry(List.of(ContentPipeline.definition()));
    first = TestNode.start(pipelines, SCHEDULER_ON);
    second = TestNode.start(pipelines, SCHEDULER_ON);
    service = new Http(first.port(), TestNode.SERVICE_KEY);
  }

  @AfterAll
  static void stop() {
    second.close();
    first.close();
  }

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    // why: the seed's schedules could fire during a test (the dispatcher every minute); triggers still run.
    TestDatabase.jdbi().useHandle(h -> h.execute("update scheduler_jobs set enabled = false"));
  }

  @Test
  void jobs_lists_the_seeds_jobs_with_their_schedules_and_commands() {
    JsonNode answer = service.get("/functions/v1/scheduler?action=jobs").json();
    assertThat(answer.get("success").asBoolean()).isTrue();
    assertThat(answer.at("/data/count").asInt()).isEqualTo(7);
    JsonNode main = find(answer.at("/data/jobs"), "job_name", "content_pipeline_main");
    assertThat(main.get("schedule").asText()).isEqualTo("*/5 * * * *");
    assertThat(main.get("command").asText()).isEqualTo("SELECT trigger_content_automation();");
    assertThat(main.has("active") && main.has("last_run") && main.has("next_run")).isTrue();
    assertThat(find(answer.at("/data/jobs"), "job_name", "content_pipeline_cleanup").get("schedule").asText())
        .isEqualTo("0 2 * * *");
  }

  @Test
  void status_and_health_answer_in_the_seeds_shape() {
    service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main&enable=true", "");
    JsonNode status = service.get("/functions/v1/scheduler?action=status").json().get("data");
    assertThat(status.get("total_jobs").asInt()).isEqualTo(7);
    assertThat(status.get("active_jobs").asInt()).isEqualTo(1);
    assertThat(status.get("failed_jobs").asInt()).isZero();
    assertThat(status.has("last_run") && status.has("next_run")).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() ->
        !service.get("/functions/v1/scheduler?action=status").json().at("/data/next_run").isNull());

    JsonNode health = service.get("/functions/v1/scheduler?action=health").json().get("data");
    JsonNode main = find(health.get("health"), "component", "content_pipeline_main");
    assertThat(main.get("status").asText()).isEqualTo("healthy");
    assertThat(main.get("success_rate").asDouble()).isEqualTo(100.0);
    assertThat(main.get("error_count").asInt()).isZero();
    assertThat(health.at("/summary/total_jobs").asInt()).isEqualTo(7);
    assertThat(health.at("/summary/healthy_jobs").asInt()).isEqualTo(1);
    assertThat(health.at("/summary/inactive_jobs").asInt()).isEqualTo(6);
    assertThat(health.at("/summary/overall_health").asDouble()).isEqualTo(100.0);
  }

  @Test
  void toggle_disables_and_enables_a_job_and_answers_the_seeds_message() {
    service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main&enable=true", "");
    Http.Response off = service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main&enable=false", "");
    assertThat(off.status()).isEqualTo(200);
    assertThat(off.json().at("/data/success").asBoolean()).isTrue();
    assertThat(off.json().at("/data/message").asText()).isEqualTo("Job disabled: content_pipeline_main");
    assertThat(TestDatabase.count("select count(*) from manage_cron_jobs() where jobname = 'content_pipeline_main' and not active"))
        .isEqualTo(1);

    Http.Response on = service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main&enable=true", "");
    assertThat(on.json().at("/data/message").asText()).isEqualTo("Job enabled: content_pipeline_main");
  }

  @Test
  void a_trigger_by_http_runs_the_job_once_across_both_nodes() throws Exception {
    Http.Response response = service.post("/functions/v1/scheduler?action=trigger&job=content_pipeline_sweeper", "");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().at("/data/job_name").asText()).isEqualTo("content_pipeline_sweeper");
    assertThat(response.json().at("/data/function").asText()).isEqualTo("trigger_sweeper");

    await().atMost(Duration.ofSeconds(20)).until(() -> TestDatabase.count(
        "select count(*) from job_runs where job_id = 'content_pipeline_sweeper' and status = 'success'") == 1);
    // why: a deliberate gap in which the other node could run the trigger a second time
    Thread.sleep(1000);
    assertThat(TestDatabase.count("select count(*) from job_runs where job_id = 'content_pipeline_sweeper'")).isEqualTo(1);
    assertThat(TestDatabase.count("""
        select count(*) from job_runs where job_id = 'content_pipeline_sweeper'
           and metadata->>'trigger_type' = 'manual' and metadata->>'function' = 'trigger_sweeper'""")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from sweeper_logs where metadata->>'trigger_type' = 'manual'")).isEqualTo(1);
  }

  @Test
  void every_seed_job_triggered_on_a_node_runs_its_real_action_and_writes_its_results() {
    for (String job : List.of("content_pipeline_main", "content_pipeline_sweeper", "content_pipeline_monitor",
        "content_pipeline_metrics", "content_pipeline_health", "content_pipeline_cleanup",
        "planperfect-content-queue-dispatcher")) {
      assertThat(service.post("/functions/v1/scheduler?action=trigger&job=" + job, "").status()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from job_runs where status <> 'running'") == 7);
    List<String> failed = TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select job_id || ': ' || coalesce(error_message, '') from job_runs where status <> 'success'")
        .mapTo(String.class).list());
    assertThat(failed).isEmpty();
    assertThat(TestDatabase.count("select count(*) from health_checks where metadata->>'trigger_type' = 'manual'"))
        .isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from cleanup_logs where metadata->>'trigger_type' = 'manual'")).isPositive();
    assertThat(TestDatabase.count("select count(*) from metrics_data where metadata->>'trigger_type' = 'manual'")).isPositive();
    assertThat(TestDatabase.count("select count(*) from sweeper_logs where metadata->>'trigger_type' = 'manual'")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_runs where metadata->'result' is not null")).isEqualTo(7);
  }

  @Test
  void the_api_v1_routes_trigger_update_and_list_runs() {
    assertThat(service.post("/api/v1/scheduler/jobs/planperfect-content-queue-dispatcher/trigger", "").status()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        service.get("/api/v1/scheduler/jobs/planperfect-content-queue-dispatcher/runs").json().size() == 1);
    JsonNode run = service.get("/api/v1/scheduler/jobs/planperfect-content-queue-dispatcher/runs?limit=5").json().get(0);
    await().atMost(Duration.ofSeconds(20)).until(() -> service.get(
        "/api/v1/scheduler/jobs/planperfect-content-queue-dispatcher/runs").json().at("/0/status").asText().equals("success"));
    assertThat(run.at("/metadata/function").asText()).isEqualTo("trigger_dispatcher");
    assertThat(service.get("/api/v1/scheduler/jobs/planperfect-content-queue-dispatcher/runs").json()
        .at("/0/metadata/result/message").asText()).isEqualTo("Dispatch cycle completed");

    Http.Response updated = service.put("/api/v1/scheduler/jobs/content_pipeline_health",
        "{\"schedule\": \"*/2 * * * *\", \"enabled\": true, \"timeout_seconds\": 30}");
    assertThat(updated.status()).as(updated.body()).isEqualTo(200);
    assertThat(updated.json().get("schedule").asText()).isEqualTo("*/2 * * * *");
    assertThat(updated.json().get("timeout_seconds").asInt()).isEqualTo(30);
    await().atMost(Duration.ofSeconds(20)).until(() ->
        !service.get("/api/v1/scheduler/jobs/content_pipeline_health").json().get("next_run").isNull());
    assertThat(service.get("/api/v1/scheduler/status").json().get("active_jobs").asInt()).isEqualTo(1);
    assertThat(service.get("/api/v1/scheduler/health").json().has("summary")).isTrue();
    assertThat(service.get("/api/v1/scheduler/jobs").json().get("count").asInt()).isEqualTo(7);
  }

  @Test
  void a_bad_schedule_is_refused_naming_the_field_and_nothing_changes() {
    Http.Response response = service.put("/api/v1/scheduler/jobs/content_pipeline_health", "{\"schedule\": \"every ten minutes\"}");
    assertThat(response.status()).isEqualTo(400);
    assertThat(response.json().get("field").asText()).isEqualTo("schedule");
    assertThat(TestDatabase.count("select count(*) from scheduler_jobs where name = 'content_pipeline_health' and schedule = '*/10 * * * *'"))
        .isEqualTo(1);
    assertThat(service.put("/api/v1/scheduler/jobs/content_pipeline_health", "{\"timeout_seconds\": 0}").json()
        .get("field").asText()).isEqualTo("timeout_seconds");
    assertThat(service.put("/api/v1/scheduler/jobs/content_pipeline_health", "{\"command\": \"drop table jobs\"}").json()
        .get("field").asText()).isEqualTo("command");
  }

  @Test
  void unknown_jobs_actions_and_bad_parameters_get_clear_errors() {
    assertError(service.post("/functions/v1/scheduler?action=trigger&job=nope", ""), 404, "job");
    assertError(service.post("/functions/v1/scheduler?action=toggle&job=nope&enable=true", ""), 404, "job");
    assertError(service.get("/functions/v1/scheduler?action=explode"), 400, "action");
    assertError(service.get("/functions/v1/scheduler"), 400, "action");
    assertError(service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main", ""), 400, "enable");
    assertError(service.post("/functions/v1/scheduler?action=toggle&job=content_pipeline_main&enable=maybe", ""), 400, "enable");
    assertError(service.post("/functions/v1/scheduler?action=trigger", ""), 400, "job");
    assertError(service.get("/functions/v1/scheduler?action=trigger&job=content_pipeline_main"), 405, "action");
    assertError(service.get("/api/v1/scheduler/jobs/nope"), 404, "job");
    assertError(service.get("/api/v1/scheduler/jobs/content_pipeline_main/runs?limit=0"), 400, "limit");
    assertError(service.post("/functions/v1/scheduler?action=toggle&job=a%00b&enable=true", ""), 400, "job");
    assertError(service.put("/api/v1/scheduler/jobs/content_pipeline_health", "{\"schedule\": \"0 0 30 2 *\"}"), 400, "schedule");
    assertThat(service.get("/api/v1/scheduler/jobs/a%00b").status()).isEqualTo(400);
    assertThat(TestDatabase.count("select count(*) from job_runs")).isZero();
    assertThat(new Http(first.port(), TestNode.ANON_KEY).get("/functions/v1/scheduler?action=jobs").status()).isIn(401, 403);
  }

  private static void assertError(Http.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.json().get("field").asText()).isEqualTo(field);
    assertThat(response.json().get("message").asText()).isNotBlank();
  }

  private static JsonNode find(JsonNode array, String key, String value) {
    for (JsonNode item : array) {
      if (item.path(key).asText().equals(value)) {
        return item;
      }
    }
    throw new AssertionError("no item with " + key + " = " + value + " in " + array);
  }
}
