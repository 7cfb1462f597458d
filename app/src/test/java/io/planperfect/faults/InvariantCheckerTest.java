package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Negative controls: the invariant checker reports each injected violation, so a zero from it in
 * the fault tests means something. Real jobs complete first; the faults are then written by hand.
 */
@Tag("slow")
class InvariantCheckerTest {
  private PlanPerfectNode node;
  private String job;

  @BeforeEach
  void completeThreeJobs() {
    TestDatabase.clean();
    Invariants.createLedgers();
    node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())));
    Http http = new Http(node.port(), TestNode.ANON_KEY);
    for (int i = 0; i < 3; i++) {
      Http.Response response = http.post("/functions/v1/content-intake", """
          {"job_type": "article", "payload": {"title": "Control %d", "keywords": ["control"], "word_count": 150}}""".formatted(i));
      assertThat(response.status()).isEqualTo(201);
      job = response.json().get("job_id").asText();
      Invariants.acknowledged(job);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> FaultCluster.terminalJobs() == 3);
    node.close();
    node = null;
    Invariants.check().assertClean();
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.close();
    }
  }

  private static void sql(String statement, Object... args) {
    TestDatabase.jdbi().useHandle(h -> {
      var update = h.createUpdate(statement);
      for (int i = 0; i < args.length; i++) {
        update.bind(i, args[i]);
      }
      update.execute();
    });
  }

  @Test
  void a_second_completed_event_and_archived_message_for_one_stage_is_reported_as_one_duplicate_result() {
    UUID id = UUID.fromString(job);
    sql("""
        insert into job_events (job_id, pipeline, stage, event_type, message, metadata)
        select job_id, pipeline, stage, event_type, message, metadata from job_events
         where job_id = ? and stage = 'draft' and event_type = 'completed'""", id);
    sql("""
        insert into queue_archive (msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease, message)
        select msg_id + 1000000, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, gen_random_uuid(), message
          from queue_archive where job_id = ? and stage = 'draft'""", id);

    Invariants inv = Invariants.check();

    assertThat(inv.dupCompletedEvents()).isEqualTo(1);
    assertThat(inv.dupArchived()).isEqualTo(1);
    assertThat(inv.dupEnqueues()).isEqualTo(1);
    assertThat(inv.finishedStagesWithoutOneArchive()).isEqualTo(1);
    assertThat(inv.lost()).isZero();
  }

  @Test
  void an_acknowledged_job_that_never_finished_is_reported_lost_and_one_without_a_message_as_an_orphan() {
    Invariants.acknowledged(UUID.randomUUID().toString()); // acknowledged, never stored
    sql("update jobs set status = 'processing' where id = ?", UUID.fromString(job)); // stuck, no message

    Invariants inv = Invariants.check();

    assertThat(inv.lost()).isEqualTo(2);
    assertThat(inv.orphanJobs()).isEqualTo(1);
  }

  @Test
  void a_completed_event_from_a_delivery_older_than_the_archived_messages_last_is_reported_as_a_stale_ack_accepted() {
    // as if the message had been claimed again after the acked run's claim, and that run's ack accepted all the same
    sql("update queue_archive set read_ct = read_ct + 1 where job_id = ? and stage = 'qa'", UUID.fromString(job));

    assertThat(Invariants.check().staleAcksAccepted()).isEqualTo(1);
  }

  @Test
  void re_executions_are_counted_from_the_attempt_ledger() {
    UUID id = UUID.fromString(job);
    sql("insert into fault_attempts (job_id, stage, attempt, pid) values (?, 'qa', 1, 1), (?, 'qa', 2, 1)", id, id);
    sql("update fault_attempts set finished_at = now() where attempt = 2");

    Invariants inv = Invariants.check();

    assertThat(inv.reExecutions()).isEqualTo(1);
    assertThat(inv.unfinishedRuns()).isEqualTo(1);
  }
}
