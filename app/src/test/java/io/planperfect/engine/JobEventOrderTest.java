package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every event of a job is written under the job's row lock, so a job's events are numbered in the
 * order they commit (what a stream resuming after a snapshot's last number relies on). Here the
 * events written outside a transition: a rejected ack's and a discarded dead letter's wait for a
 * transaction that holds the job's row, and land after it.
 */
class JobEventOrderTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(EngineParts.instantStage("a"), EngineParts.instantStage("b")));

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void a_rejected_acks_event_waits_for_a_transaction_holding_the_jobs_row() throws Exception {
    UUID job = submit();
    try (EngineParts parts = new EngineParts(PIPELINE); Handle holder = TestDatabase.jdbi().open()) {
      StageAttempt attempt = parts.claimOne("a");
      StageTransitions transitions = parts.transitions(NextStageRunners.NONE);
      long seqBefore = holdJobRow(holder, job);
      CompletableFuture<Void> recording = CompletableFuture.runAsync(() -> transitions.recordStaleAck(attempt, "lease taken over"));

      awaitABackendWaitingForALock();
      assertThat(recording).isNotDone();
      long seqOfHolder = holderEvent(holder, job);
      holder.commit();
      recording.get();

      assertThat(eventSeq(job, "stale_ack")).isGreaterThan(seqOfHolder).isGreaterThan(seqBefore);
    }
  }

  @Test
  void a_discarded_dead_letters_event_waits_for_a_transaction_holding_the_jobs_row() throws Exception {
    UUID job = submit();
    try (EngineParts parts = new EngineParts(PIPELINE); Handle holder = TestDatabase.jdbi().open()) {
      parts.transitions(NextStageRunners.NONE).fail(parts.claimOne("a"), new PermanentStageFailure("bad input"), List.of());
      DeadLetters deadLetters = parts.deadLetters();
      long letter = deadLetters.openLetterOf(job).orElseThrow();

      holdJobRow(holder, job);
      CompletableFuture<DeadLetters.Outcome> discarding = CompletableFuture.supplyAsync(() -> deadLetters.discard(letter));

      awaitABackendWaitingForALock();
      assertThat(discarding).isNotDone();
      long seqOfHolder = holderEvent(holder, job);
      holder.commit();

      assertThat(discarding.get()).isEqualTo(DeadLetters.Outcome.DONE);
      assertThat(eventSeq(job, "dead_letter_discarded")).isGreaterThan(seqOfHolder);
    }
  }

  private static UUID submit() {
    return WaitingJobs.submit(PIPELINE, 1).get(0);
  }

  /** Opens a transaction on {@code holder} that holds the job's row; the newest event number so far. */
  private static long holdJobRow(Handle holder, UUID job) {
    holder.begin();
    holder.createQuery("select 1 from jobs where id = :id for no key update").bind("id", job).mapTo(Integer.class).one();
    return TestDatabase.count("select coalesce(max(seq), 0) from job_events where job_id = ?", job);
  }

  /** An event of the holder's transaction (as a transition would write), its number. */
  private static long holderEvent(Handle holder, UUID job) {
    return holder.createQuery("""
            insert into job_events (job_id, pipeline, stage, event_type, message)
            values (:id, 'content', 'a', 'processing', 'the holder') returning seq""")
        .bind("id", job).mapTo(Long.class).one();
  }

  private static void awaitABackendWaitingForALock() {
    await().atMost(Duration.ofSeconds(10)).until(() -> TestDatabase.count("""
        select count(*) from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock' and query like '%from jobs%'""") == 1);
  }

  private static long eventSeq(UUID job, String type) {
    return TestDatabase.count("select seq from job_events where job_id = ? and event_type = ?", job, type);
  }
}
