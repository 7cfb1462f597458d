package io.planperfect.callbacks;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * The SQL of callback_deliveries (V021, V050): the claim of due rows and the end of each attempt. Rows
 * are written by the transaction that finishes their subject (R__batches.sql for a batch,
 * R__job_callbacks.sql for a job), never here. A node claims only the kinds it can deliver (no
 * {@code mail} without an SMTP server). Each end of an
 * attempt carries the claim's lease: 0 rows means another node took the row after this claim ran out,
 * and the answer is dropped (that node's attempt counts instead).
 */
final class CallbackDeliveries {
  /** A claimed delivery: the row, its kind (webhook or mail), its attempt number (counted from 1) and the claim's lease. */
  record Due(long id, String subject, UUID subjectId, String kind, String url, String body, int attempt, UUID lease) {}

  // why one statement: SKIP LOCKED lets every node's loop claim side by side; moving next_attempt_at by
  // the claim timeout is the lease's expiry, so a node that dies mid-POST leaves the row due again.
  private static final String CLAIM = """
      update callback_deliveries d
         set attempts = d.attempts + 1, lease = gen_random_uuid(),
             next_attempt_at = now() + make_interval(secs => :claimSeconds), updated_at = now()
       where d.id in (select id from callback_deliveries
                       where status = 'pending' and next_attempt_at <= now() and kind = any(:kinds)
                       order by next_attempt_at, id
                       limit :limit
                       for update skip locked)
      returning d.id, d.subject, d.subject_id, d.kind, d.url, d.body::text as body, d.attempts, d.lease""";

  private final Jdbi jdbi;

  CallbackDeliveries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  List<Due> claim(int limit, Duration claimTimeout, List<String> kinds) {
    return jdbi.withHandle(h -> h.createQuery(CLAIM)
        .bind("kinds", kinds.toArray(String[]::new))
        .bind("claimSeconds", claimTimeout.toMillis() / 1000.0)
        .bind("limit", limit)
        .map((rs, ctx) -> new Due(rs.getLong("id"), rs.getString("subject"), rs.getObject("subject_id", UUID.class),
            rs.getString("kind"), rs.getString("url"), rs.getString("body"), rs.getInt("attempts"),
            rs.getObject("lease", UUID.class)))
        .list());
  }

  boolean delivered(Due due, int httpStatus) {
    return end(due, "delivered", httpStatus, null, Duration.ZERO);
  }

  boolean retryLater(Due due, Integer httpStatus, String error, Duration delay) {
    return end(due, "pending", httpStatus, error, delay);
  }

  boolean failed(Due due, Integer httpStatus, String error) {
    return end(due, "failed", httpStatus, error, Duration.ZERO);
  }

  private boolean end(Due due, String status, Integer httpStatus, String error, Duration delay) {
    return jdbi.withHandle(h -> h.createUpdate("""
            update callback_deliveries
               set status = :status, last_status = :httpStatus, last_error = :error, lease = null,
                   next_attempt_at = now() + make_interval(secs => :delay),
                   delivered_at = case when :status = 'delivered' then now() end, updated_at = now()
             where id = :id and lease = :lease and status = 'pending'""")
        .bind("status", status).bind("httpStatus", httpStatus).bind("error", error)
        .bind("delay", delay.toMillis() / 1000.0).bind("id", due.id()).bind("lease", due.lease())
        .execute() == 1);
  }
}
