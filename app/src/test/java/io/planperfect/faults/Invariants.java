package io.planperfect.faults;

import io.planperfect.testing.TestDatabase;

/**
 * The invariant checker: SQL over the committed tables and the two ledgers ({@code fault_intake},
 * the client's 2xx answers; {@code fault_attempts}, every stage execution).
 *
 * <ul>
 *   <li>{@code lost}: acknowledged intake whose job is missing or not completed/failed.
 *   <li>{@code dupCompletedEvents}, {@code dupArchived}: (job, stage) pairs with more than one
 *       {@code completed} event, or more than one archived message.
 *   <li>{@code dupEnqueues}: (job, stage) pairs with more than one message ever (live + archived).
 *       A retry or a redelivery reuses the same message, so every stage that reached a message has
 *       exactly one; {@code finishedStagesWithoutOneArchive} counts completed or dead-lettered stages
 *       whose archive count is not exactly 1.
 *   <li>{@code executions}, {@code reExecutions} (executions − distinct (job, stage)),
 *       {@code unfinishedRuns} (started, never reached the end of the handler: killed mid-stage).
 *   <li>{@code orphanJobs}: queued/processing jobs with no message; {@code expiredLeases}: messages
 *       whose lease ran out more than 10 s ago and that nobody took again.
 *   <li>{@code staleAcksAccepted}: a {@code completed} event whose msg_id is not the archived
 *       message's, or whose delivery (the message's read_ct when that run claimed it) is older than
 *       the archived message's read_ct: the message was claimed again after that run's claim, so
 *       the run no longer held it, and yet its result was applied. Independent of the lease token,
 *       so it also judges a run whose fence is switched off. (Attempt numbers cannot decide this:
 *       they are given when a run begins, and a run whose start was delayed past its lease begins
 *       after the run that took the message over.) {@code staleAcksRejected}: {@code stale_ack} events.
 * </ul>
 */
record Invariants(
    long acknowledged, long completedJobs, long failedJobs, long lost,
    long dupCompletedEvents, long dupArchived, long dupEnqueues, long finishedStagesWithoutOneArchive,
    long executions, long reExecutions, long unfinishedRuns,
    long orphanJobs, long expiredLeases,
    long staleAcksAccepted, long staleAcksRejected, long deadLetters) {

  static void createLedgers() {
    TestDatabase.jdbi().useHandle(h -> h.execute(AttemptLedger.DDL));
    TestDatabase.jdbi().useHandle(h -> h.execute("truncate fault_attempts, fault_intake"));
  }

  static void acknowledged(String jobId) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("insert into fault_intake (job_id) values (cast(:id as uuid))")
        .bind("id", jobId).execute());
  }

  static Invariants check() {
    return new Invariants(
        count("select count(*) from fault_intake"),
        count("select count(*) from jobs j join fault_intake i on i.job_id = j.id where j.status = 'completed'"),
        count("select count(*) from jobs j join fault_intake i on i.job_id = j.id where j.status = 'failed'"),
        count("""
            select count(*) from fault_intake i left join jobs j on j.id = i.job_id
             where j.status is null or j.status not in ('completed', 'failed')"""),
        count("""
            select count(*) from (select job_id, stage from job_events where event_type = 'completed'
                                  group by job_id, stage having count(*) > 1) d"""),
        count("select count(*) from (select job_id, stage from queue_archive group by job_id, stage having count(*) > 1) d"),
        count("""
            select count(*) from (select job_id, stage from (select job_id, stage from queue_messages
                                                             union all select job_id, stage from queue_archive) m
                                  group by job_id, stage having count(*) > 1) d"""),
        count("""
            select count(*) from job_stages s
             where s.status in ('completed', 'dead_lettered')
               and (select count(*) from queue_archive a where a.job_id = s.job_id and a.stage = s.stage) <> 1"""),
        count("select count(*) from fault_attempts"),
        count("select coalesce(sum(n - 1), 0) from (select count(*) n from fault_attempts group by job_id, stage) r"),
        count("select count(*) from fault_attempts where finished_at is null"),
        count("""
            select count(*) from jobs j where j.status in ('queued', 'processing')
               and not exists (select 1 from queue_messages m where m.job_id = j.id)"""),
        count("select count(*) from queue_messages where lease is not null and vt < now() - interval '10 seconds'"),
        count("""
            select count(*) from job_events e
             where e.event_type = 'completed'
               and not exists (select 1 from queue_archive a where a.job_id = e.job_id and a.stage = e.stage
                                 and a.msg_id = (e.metadata ->> 'msg_id')::bigint
                                 and a.read_ct = (e.metadata ->> 'delivery')::int)"""),
        count("select count(*) from job_events where event_type = 'stale_ack'"),
        count("select count(*) from dead_letters"));
  }

  private static long count(String sql) {
    return TestDatabase.count(sql);
  }

  /** Every invariant that must be zero after any scenario. */
  Invariants assertClean() {
    org.assertj.core.api.SoftAssertions soft = new org.assertj.core.api.SoftAssertions();
    soft.assertThat(lost).as("lost").isZero();
    soft.assertThat(dupCompletedEvents).as("duplicate completed events").isZero();
    soft.assertThat(dupArchived).as("duplicate archived messages").isZero();
    soft.assertThat(dupEnqueues).as("duplicate enqueues").isZero();
    soft.assertThat(finishedStagesWithoutOneArchive).as("finished stages without exactly one archived message").isZero();
    soft.assertThat(orphanJobs).as("orphan jobs").isZero();
    soft.assertThat(expiredLeases).as("expired leases").isZero();
    soft.assertThat(staleAcksAccepted).as("stale acks accepted").isZero();
    soft.assertAll();
    return this;
  }
}
