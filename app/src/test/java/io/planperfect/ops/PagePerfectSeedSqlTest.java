package io.planperfect.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.pageperfect.PagePerfectPipeline;
import io.planperfect.stages.pageperfect.TomatoSite;
import io.planperfect.testing.LocalSite;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 002's monitoring, tuning and rollback SQL runs as written (docs/OPERATIONS.md, "Seed 002 runbook"). */
class PagePerfectSeedSqlTest {
  private LocalSite site;
  private PipelineDefinition pageperfect;

  @BeforeEach
  void start() throws Exception {
    TestDatabase.clean();
    site = TomatoSite.start();
    pageperfect = PagePerfectPipeline.definition(
        new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32"))));
  }

  @AfterEach
  void stop() throws Exception {
    site.close();
  }

  private static List<Map<String, Object>> rows(String sql) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  private static int update(String sql) {
    return TestDatabase.jdbi().withHandle(h -> h.createUpdate(sql).execute());
  }

  private UUID submit(PlanPerfectNode node) {
    ObjectNode payload = (ObjectNode) Json.read("{\"url\":\"" + site.url("/tomatoes") + "\",\"keywords\":[\"cherry tomatoes\"]}");
    return node.intake().submit(new NewJob(pageperfect, "pageperfect", null, payload, "submit_crawl", 0));
  }

  private static void awaitStatus(UUID job, String status) {
    await().atMost(Duration.ofSeconds(20)).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = ?", job, status) == 1);
  }

  @Test
  void the_seed_002_monitoring_queries_run_as_written() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(pageperfect)))) {
      UUID done = submit(node);
      awaitStatus(done, "completed");
      update("update content_stage_config set enabled = false where queue = 'pageperfect'");
      UUID waiting = submit(node);

      assertThat(rows("""
          SELECT * FROM v_pageperfect_job_status\s
          WHERE status IN ('queued', 'processing')\s
          ORDER BY created_at DESC;""")).singleElement().satisfies(r -> {
            assertThat(r.get("id")).isEqualTo(waiting);
            assertThat(r.get("url")).isEqualTo(site.url("/tomatoes"));
            assertThat(r.get("percent")).isEqualTo(0);
          });
      assertThat(rows("SELECT percent, stages_completed FROM v_pageperfect_job_status WHERE id = '" + done + "'"))
          .singleElement().satisfies(r -> assertThat(r.get("percent")).isEqualTo(100));
      assertThat(rows("""
          SELECT * FROM pageperfect_job_events\s
          WHERE created_at > now() - interval '1 hour'\s
          ORDER BY created_at DESC\s
          LIMIT 100;""")).extracting(r -> r.get("status")).contains("queued", "processing", "completed", "job_completed");
      assertThat(rows("""
          SELECT * FROM pageperfect_dead_letters\s
          ORDER BY routed_at DESC\s
          LIMIT 50;""")).isEmpty();
      assertThat(rows("SELECT * FROM get_pageperfect_stage_backlog();"))
          .hasSize(6).anySatisfy(r -> {
            assertThat(r.get("stage")).isEqualTo("submit_crawl");
            assertThat(r.get("ready_count")).isEqualTo(1L);
            assertThat(r.get("enabled")).isEqualTo(false);
          });
      assertThat(rows("""
          SELECT * FROM content_stage_config\s
          WHERE queue = 'pageperfect';""")).extracting(r -> r.get("stage")).containsExactlyInAnyOrder(
          "submit_crawl", "wait_crawl", "segment_embed", "keyword_clustering", "gap_analysis", "rewrite_draft");
      assertThat(rows("select * from pageperfect_payloads where job_id = '" + done + "'")).hasSize(6);
      assertThat(rows("select * from pageperfect_jobs")).hasSize(2);
      assertThat(rows("select * from content_jobs")).isEmpty();
      assertThat(rows("select * from pgmq.pageperfect_queue")).hasSize(1);
    }
  }

  @Test
  void the_seed_002_tuning_updates_take_effect() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(pageperfect)))) {
      update("update content_stage_config set enabled = false where queue = 'pageperfect'");
      UUID job = submit(node);
      String id = job.toString();

      assertThat(update("""
          UPDATE content_stage_config\s
          SET max_concurrency = 5\s
          WHERE stage = 'submit_crawl';""")).isEqualTo(1);
      assertThat(update("UPDATE pageperfect_jobs \nSET max_attempts = 3, retry_delay_seconds = 30 \nWHERE id = '" + id + "';"))
          .isEqualTo(1);
      assertThat(update("UPDATE pageperfect_job_stages \nSET max_attempts = 3, retry_delay_seconds = 30 \nWHERE job_id = '"
          + id + "' AND stage = 'submit_crawl';")).isEqualTo(1);
      // distinct values, to see whose win: the job's for every stage, the stage's own for submit_crawl
      update("UPDATE pageperfect_jobs SET max_attempts = 4, retry_delay_seconds = 40 WHERE id = '" + id + "'");
      update("UPDATE pageperfect_job_stages SET max_attempts = 6, retry_delay_seconds = 70 WHERE job_id = '" + id
          + "' AND stage = 'submit_crawl'");
      update("update content_stage_config set enabled = true where queue = 'pageperfect'");
      awaitStatus(job, "completed");

      assertThat(rows("select stage, max_attempts, retry_delay_seconds from job_stages where job_id = '" + id + "'"))
          .allSatisfy(r -> {
            boolean own = r.get("stage").equals("submit_crawl");
            assertThat(r.get("max_attempts")).as("%s", r).isEqualTo(own ? 6 : 4);
            assertThat(r.get("retry_delay_seconds")).as("%s", r).isEqualTo(own ? 70 : 40);
          });
      assertThat(TestDatabase.count("select max_concurrency from content_stage_config where stage = 'submit_crawl'")).isEqualTo(5);
    }
  }

  @Test
  void the_seed_002_rollback_disables_the_stages_and_drains_the_queue() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(pageperfect)))) {
      assertThat(update("update content_stage_config set enabled = false where queue = 'pageperfect'")).isEqualTo(6);
      UUID job = submit(node);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() ->
          TestDatabase.count("select count(*) from jobs where id = ? and status = 'queued'", job) == 1);
      assertThat(TestDatabase.count("select coalesce(sum(in_flight_count), 0) from get_pageperfect_stage_backlog()")).isZero();
      assertThat(TestDatabase.count("select count(*) from pgmq.pageperfect_queue")).isEqualTo(1);

      update("update content_stage_config set enabled = true where queue = 'pageperfect'");
      awaitStatus(job, "completed");
      assertThat(TestDatabase.count("select count(*) from pgmq.pageperfect_queue")).isZero();
    }
  }

  @Test
  void pageperfect_queue_visibility_sets_the_visibility_of_that_queue_only() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(pageperfect)),
        Map.of("PAGEPERFECT_QUEUE_VISIBILITY", "77", "CONTENT_QUEUE_VISIBILITY", "120"))) {
      UUID job = submit(node);
      awaitStatus(job, "completed");
      assertThat(TestDatabase.count("select count(distinct visibility_timeout_seconds) from job_stages where job_id = ?", job))
          .isEqualTo(1);
      assertThat(TestDatabase.count("select max(visibility_timeout_seconds) from job_stages where job_id = ?", job)).isEqualTo(77);
    }
  }
}
