package io.planperfect.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.json.Json;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Seed 001's monitoring and debugging SQL runs unchanged against our schema (docs/OPERATIONS.md lists it). */
class SeedSqlTest {

  private static List<Map<String, Object>> rows(String sql) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(sql).mapToMap().list());
  }

  @Test
  void seed_001_monitoring_queries_run_as_written_and_answer_about_a_finished_job() {
    TestDatabase.clean();
    UUID job;
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())))) {
      job = node.intake().submit(new NewJob(ContentPipeline.definition(), "article", "user@example.com",
          (ObjectNode) Json.read("{\"title\":\"Seed SQL\",\"keywords\":[\"sql\"],\"word_count\":200}"), "research", 0));
      await().atMost(Duration.ofSeconds(20)).until(() ->
          TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    }
    String id = job.toString();

    assertThat(rows("SELECT id, job_type, status, stage, created_at, updated_at FROM content_jobs WHERE id = '" + id + "';"))
        .singleElement().satisfies(r -> assertThat(r.get("status")).isEqualTo("completed"));
    assertThat(rows("SELECT event_type, message, metadata, created_at FROM content_events WHERE job_id = '" + id
        + "' ORDER BY created_at DESC;")).isNotEmpty();
    assertThat(rows("SELECT stage, status, attempt_count, started_at, completed_at, error_message FROM content_stages WHERE job_id = '"
        + id + "' ORDER BY started_at;")).hasSize(6);
    assertThat(rows("SELECT stage, data FROM content_payloads WHERE job_id = '" + id + "';")).hasSize(6);
    assertThat(rows("SELECT pgmq.queue_metrics('content');")).hasSize(1);
    assertThat(rows("SELECT * FROM pgmq.content_queue LIMIT 10;")).isEmpty();
    assertThat(rows("SELECT * FROM pgmq.content_archive ORDER BY archived_at DESC LIMIT 10;")).hasSize(6);
    assertThat(rows("select * from content_job_events where stage = 'research' and status = 'error' order by created_at desc limit 10;"))
        .isEmpty();
    assertThat(rows("select * from content_job_stages where job_id = '" + id + "'")).hasSize(6);
    assertThat(rows("select * from content_dead_letters")).isEmpty();
  }
}
