package io.planperfect.bench;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The benchmark's queue state: queue {@code content}, stage {@code research}, filled with ready
 * messages by SQL alone so that filling never costs the client anything measurable.
 */
final class QueueFixture {
  static final String QUEUE = "content";
  static final String STAGE = "research";

  // why: a CTE so gen_random_uuid() runs once per row and the job id in the column matches the message.
  private static final String FILL = """
      with m as (select g, gen_random_uuid() as job_id from generate_series(1, :n) g)
      insert into queue_messages (queue_name, stage, job_id, message)
      select 'content', 'research', m.job_id,
             jsonb_build_object('job_id', m.job_id, 'stage', 'research',
                                'payload', jsonb_build_object('title', 'Benchmark article ' || m.g))
        from m
      """;

  private static final String TRIM_NEWEST = """
      delete from queue_messages where msg_id in (
        select msg_id from queue_messages where queue_name = 'content' and stage = 'research'
         order by msg_id desc limit :n)
      """;

  // why: the same subquery as MessageQueue's claim, so the plan shown is the plan a claim uses.
  private static final String EXPLAIN_CLAIM = """
      explain (analyze, buffers, costs off)
      select msg_id from queue_messages
       where queue_name = 'content' and stage = 'research' and vt <= now()
       order by priority desc, msg_id
       limit 1
         for update skip locked
      """;

  private final Jdbi jdbi;

  QueueFixture(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void empty() {
    jdbi.useHandle(h -> h.execute("truncate queue_messages, queue_archive"));
  }

  void fill(long n) {
    jdbi.useHandle(h -> h.createUpdate(FILL).bind("n", n).execute());
  }

  long depth() {
    return jdbi.withHandle(h -> h.createQuery(
            "select count(*) from queue_messages where queue_name = 'content' and stage = 'research'")
        .mapTo(Long.class).one());
  }

  /** Brings the ready depth back to {@code target} when it drifted by more than 10%; true if it did. */
  boolean restore(long target) {
    long drift = depth() - target;
    if (Math.abs(drift) <= target / 10) {
      return false;
    }
    if (drift < 0) {
      fill(-drift);
    } else {
      jdbi.useHandle(h -> h.createUpdate(TRIM_NEWEST).bind("n", drift).execute());
    }
    return true;
  }

  void vacuumAnalyze() {
    jdbi.useHandle(h -> h.execute("vacuum analyze queue_messages, queue_archive"));
  }

  /** EXPLAIN (ANALYZE, BUFFERS) of the claim subquery, rolled back so no row stays locked. */
  List<String> explainClaim() {
    return jdbi.inTransaction(h -> {
      List<String> plan = h.createQuery(EXPLAIN_CLAIM).mapTo(String.class).list();
      h.rollback();
      return plan;
    });
  }
}
