package io.planperfect.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.NodeOptions;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.worker.StageFilter;
import java.util.Set;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.OpenedNodeMain;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 7: a node restarted over a deep backlog binds its HTTP server before any loop
 * starts, so it answers (and {@code /health} says {@code starting}) before a worker has claimed
 * anything; once its loops run, {@code /health} says ok. Ordering, never wall-clock limits.
 */
@Tag("slow")
class StartOverBacklogTest {
  private static final int BACKLOG = 20_000;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void a_node_over_a_backlog_answers_http_and_says_starting_before_any_worker_claims_then_says_ok() throws Exception {
    queueBacklog(BACKLOG);

    try (ChildNode child = ChildNode.start(OpenedNodeMain.class, List.of(), Map.of())) {
      Http anon = new Http(child.port(), TestNode.ANON_KEY);
      Http.Response starting = anon.get("/health");
      Http.Response intake = anon.post("/functions/v1/content-intake", article("Submitted while starting"));
      long claimedWhileStarting = TestDatabase.count("select count(*) from queue_messages where read_ct > 0");

      assertThat(starting.status()).isEqualTo(503);
      assertThat(starting.json().get("status").asText()).isEqualTo("starting");
      assertThat(intake.status()).as("intake answers while the loops have not started").isEqualTo(201);
      assertThat(claimedWhileStarting).as("messages claimed before /health said ok").isZero();

      child.sendLine("start");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(() -> anon.get("/health").status() == 200);
      assertThat(anon.get("/health").json().get("status").asText()).isEqualTo("ok");
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
          .until(() -> TestDatabase.count("select count(*) from job_stages where status = 'completed'") > 0);
    }
  }

  /**
   * One job through a real intake (on a node that works no stage), copied by SQL into {@code jobs} queued
   * jobs. Why each row is made in a lateral join: {@code (jsonb_populate_record(...)).*} calls the function
   * once per column, and copying 20,000 jobs that way took about a minute; made once per row, a few seconds.
   */
  private static void queueBacklog(int jobs) {
    UUID template;
    StageFilter nothing = new StageFilter(Set.of("none"), Set.of());
    try (PlanPerfectNode node = PlanPerfectNode.start(TestNode.settings(),
        new PipelineRegistry(List.of(ContentPipeline.definition())), new NodeOptions(nothing, true, StageLimits.none()))) {
      Http.Response accepted = new Http(node.port(), TestNode.ANON_KEY).post("/functions/v1/content-intake", article("Backlog"));
      assertThat(accepted.status()).isEqualTo(201);
      template = UUID.fromString(accepted.json().get("job_id").asText());
    }
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("create temp table backlog_ids as select gen_random_uuid() as id from generate_series(2, ?)", jobs);
      h.execute("""
          insert into jobs select r.*
            from jobs j cross join backlog_ids n
            cross join lateral jsonb_populate_record(null::jobs, to_jsonb(j) || jsonb_build_object('id', n.id)) r
           where j.id = ?""", template);
      h.execute("""
          insert into job_stages select r.*
            from job_stages s cross join backlog_ids n
            cross join lateral jsonb_populate_record(null::job_stages, to_jsonb(s) || jsonb_build_object('job_id', n.id)) r
           where s.job_id = ?""", template);
      h.execute("""
          insert into job_events overriding system value select r.*
            from job_events e cross join backlog_ids n
            cross join lateral jsonb_populate_record(null::job_events, to_jsonb(e) || jsonb_build_object('id', gen_random_uuid(),
                  'job_id', n.id, 'seq', nextval(pg_get_serial_sequence('job_events', 'seq')))) r
           where e.job_id = ?""", template);
      h.execute("""
          insert into queue_messages overriding system value select r.*
            from queue_messages m cross join backlog_ids n
            cross join lateral jsonb_populate_record(null::queue_messages, to_jsonb(m) || jsonb_build_object('job_id', n.id,
                  'msg_id', nextval(pg_get_serial_sequence('queue_messages', 'msg_id')))) r
           where m.job_id = ?""", template);
      h.execute("drop table backlog_ids");
      h.execute("analyze jobs, job_stages, job_events, queue_messages");
    });
    assertThat(TestDatabase.count("select count(*) from queue_messages where read_ct = 0")).isEqualTo(jobs);
  }

  private static String article(String title) {
    return """
        {"job_type": "article", "payload": {"title": "%s", "keywords": ["backlog"], "word_count": 200}}""".formatted(title);
  }
}
