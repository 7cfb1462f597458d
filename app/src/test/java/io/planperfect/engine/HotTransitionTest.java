package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20 item 2 (V060): a stage transition rewrites its job row and its stage slots in place
 * (heap-only tuple updates), so it writes no index entry for them. PostgreSQL counts a
 * transaction's HOT updates per table while it runs ({@code pg_stat_get_xact_tuples_hot_updated}):
 * the claim of a stage, its completion and the chained claim of the next run here in one
 * transaction, through the same SQL functions the engine calls.
 */
class HotTransitionTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(EngineParts.instantStage("a"), EngineParts.instantStage("b"), EngineParts.instantStage("c")));

  private UUID job;

  @BeforeEach
  void setUp() {
    TestDatabase.clean();
    job = WaitingJobs.submit(PIPELINE, 1).get(0);
  }

  @Test
  void a_claim_a_completion_and_the_chained_claim_update_the_job_and_the_slots_only_in_place() {
    Map<String, long[]> updates = TestDatabase.jdbi().inTransaction(h -> {
      long[] jobsBefore = updatedAndHot(h, "jobs");
      long[] slotsBefore = updatedAndHot(h, "stage_slots");
      claimAndComplete(h, "a", "b");
      return Map.of("jobs", since(jobsBefore, updatedAndHot(h, "jobs")),
          "stage_slots", since(slotsBefore, updatedAndHot(h, "stage_slots")));
    });

    // the job: processing at a, then processing at b (handed straight on: from a's end to b's start in
    // one update, as nothing of b was waiting); the slots: a taken, a freed, b taken
    assertThat(updates.get("jobs")).containsExactly(2, 2);
    assertThat(updates.get("stage_slots")).containsExactly(3, 3);
  }

  @Test
  void the_completion_of_the_last_stage_updates_the_job_only_in_place() {
    Map<String, long[]> updates = TestDatabase.jdbi().inTransaction(h -> {
      long[] before = updatedAndHot(h, "jobs");
      claimAndComplete(h, "a", "b");
      completeClaimed(h, "b", "c");
      completeClaimed(h, "c", null);
      return Map.of("jobs", since(before, updatedAndHot(h, "jobs")));
    });

    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job)).isEqualTo(1);
    assertThat(updates.get("jobs")[0]).isGreaterThanOrEqualTo(4);  // processing at a, at b, at c, completed
    assertThat(updates.get("jobs")[1]).isEqualTo(updates.get("jobs")[0]);
  }

  /** Claims the ready message of {@code stage} and completes it, chaining the claim of {@code next}. */
  private void claimAndComplete(Handle h, String stage, String next) {
    Map<String, Object> claimed = h.createQuery("""
            select msg_id, lease, read_ct, attempt
              from claim_stage_attempts('content', :stage, 30, 1, cast(null as integer), false, 3, 60)""")
        .bind("stage", stage).mapToMap().one();
    complete(h, claimed, stage, next);
  }

  /** Completes the attempt of {@code stage} that the previous completion claimed in its own call. */
  private void completeClaimed(Handle h, String stage, String next) {
    Map<String, Object> claimed = h.createQuery("""
            select m.msg_id, m.lease, m.read_ct, s.attempt_count as attempt
              from queue_messages m join job_stages s on s.job_id = m.job_id and s.stage = m.stage
             where m.job_id = :job and m.stage = :stage and m.lease is not null""")
        .bind("job", job).bind("stage", stage).mapToMap().one();
    complete(h, claimed, stage, next);
  }

  private void complete(Handle h, Map<String, Object> claimed, String stage, String next) {
    boolean applied = h.createQuery("""
            select applied from complete_stage_attempt_and_claim_next(:msg, :lease, :delivery, :job, 'content', 'content',
                :stage, :attempt, cast('{}' as jsonb), :next, 0, true, 30, cast(null as integer), 3, 60)""")
        .bind("msg", (Long) claimed.get("msg_id")).bind("lease", (UUID) claimed.get("lease"))
        .bind("delivery", (Integer) claimed.get("read_ct")).bind("job", job).bind("stage", stage)
        .bind("attempt", (Integer) claimed.get("attempt")).bind("next", next)
        .mapTo(Boolean.class).one();
    assertThat(applied).as("the completion of %s applied", stage).isTrue();
  }

  /** What this transaction added to the counters since {@code before}. */
  private static long[] since(long[] before, long[] after) {
    return new long[] {after[0] - before[0], after[1] - before[1]};
  }

  /**
   * {rows updated, of which HOT} as this backend counts them so far. why read twice and subtracted: since
   * PostgreSQL 15 these counters also hold earlier transactions of the session not yet flushed to the
   * shared statistics (at most once a second), so a pooled connection that just ran other tests starts
   * above zero.
   */
  private static long[] updatedAndHot(Handle h, String table) {
    Map<String, Object> counts = h.createQuery("""
            select pg_stat_get_xact_tuples_updated(cast(:table as regclass)) as updated,
                   pg_stat_get_xact_tuples_hot_updated(cast(:table as regclass)) as hot""")
        .bind("table", table).mapToMap().one();
    return new long[] {((Number) counts.get("updated")).longValue(), ((Number) counts.get("hot")).longValue()};
  }
}
