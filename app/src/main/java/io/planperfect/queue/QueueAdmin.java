package io.planperfect.queue;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** Managing queues and reading their state: create, list, drop, purge, metrics, archive. */
public final class QueueAdmin {
  private static final String ARCHIVED = """
      select msg_id, stage, job_id, priority, read_ct, enqueued_at, archived_at, message::text as message
        from queue_archive
       where queue_name = :queue
       order by archived_at desc, msg_id desc limit :limit""";

  // why: the archive has no index by job (V090: it cost every archived message a random index
  // insert); a job's messages are archived after the job was created, so the queue index is read
  // from then on only. A message sent without a jobs row is looked for in the whole archive.
  private static final String ARCHIVED_OF_JOB = """
      select msg_id, stage, job_id, priority, read_ct, enqueued_at, archived_at, message::text as message
        from queue_archive
       where queue_name = :queue and job_id = :jobId
         and archived_at >= coalesce((select j.created_at from jobs j where j.id = :jobId), '-infinity')
       order by archived_at desc, msg_id desc limit :limit""";

  private static final String METRICS = """
      select queue_name, queue_length, newest_msg_age_sec, oldest_msg_age_sec, total_messages
        from pgmq.queue_metrics(:queue)""";

  private static final String STAGE_METRICS = """
      select stage,
             count(*) filter (where vt <= now()) as ready,
             count(*) filter (where vt > now() and lease is not null) as in_flight,
             count(*) filter (where vt > now() and lease is null) as delayed,
             extract(epoch from now() - min(enqueued_at) filter (where vt <= now()))::integer as oldest_ready_age_sec
        from queue_messages where queue_name = :queue
       group by stage order by stage""";

  private final Jdbi jdbi;

  public QueueAdmin(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Creates a queue; false when it already existed. */
  public boolean create(String queue) {
    return jdbi.withHandle(h -> h.createUpdate("insert into queues (queue_name) values (:q) on conflict do nothing")
        .bind("q", queue).execute() == 1);
  }

  public List<String> list() {
    return jdbi.withHandle(h -> h.createQuery("select queue_name from queues order by queue_name").mapTo(String.class).list());
  }

  public boolean exists(String queue) {
    return jdbi.withHandle(h -> h.createQuery("select exists(select 1 from queues where queue_name = :q)")
        .bind("q", queue).mapTo(Boolean.class).one());
  }

  /** Drops a queue with its waiting and archived messages; false when there was no such queue. */
  public boolean drop(String queue) {
    return jdbi.inTransaction(h -> {
      h.createUpdate("delete from queue_messages where queue_name = :q").bind("q", queue).execute();
      h.createUpdate("delete from queue_archive where queue_name = :q").bind("q", queue).execute();
      return h.createUpdate("delete from queues where queue_name = :q").bind("q", queue).execute() == 1;
    });
  }

  /** Deletes every waiting message of a queue (archive kept); returns how many. */
  public int purge(String queue) {
    return jdbi.inTransaction(h -> {
      int purged = h.createUpdate("delete from queue_messages where queue_name = :q").bind("q", queue).execute();
      MessageQueue.countRemoved(h, queue, purged);
      return purged;
    });
  }

  public QueueMetrics metrics(String queue) {
    return jdbi.withHandle(h -> h.createQuery(METRICS).bind("queue", queue)
        .map((rs, ctx) -> new QueueMetrics(rs.getString("queue_name"), rs.getLong("queue_length"),
            (Integer) rs.getObject("newest_msg_age_sec"), (Integer) rs.getObject("oldest_msg_age_sec"),
            rs.getLong("total_messages")))
        .one());
  }

  public List<StageMetrics> stageMetrics(String queue) {
    return jdbi.withHandle(h -> h.createQuery(STAGE_METRICS).bind("queue", queue)
        .map((rs, ctx) -> new StageMetrics(queue, rs.getString("stage"), rs.getLong("ready"), rs.getLong("in_flight"),
            rs.getLong("delayed"), (Integer) rs.getObject("oldest_ready_age_sec")))
        .list());
  }

  /** Archived messages of a queue, newest first, optionally of one job. */
  public List<ArchivedMessage> archived(String queue, Optional<java.util.UUID> jobId, int limit) {
    return jdbi.withHandle(h -> h.createQuery(jobId.isPresent() ? ARCHIVED_OF_JOB : ARCHIVED)
        .bind("queue", queue).bind("jobId", jobId.orElse(null)).bind("limit", limit)
        .map((rs, ctx) -> new ArchivedMessage(rs.getLong("msg_id"), queue, rs.getString("stage"),
            rs.getObject("job_id", java.util.UUID.class), rs.getInt("priority"), rs.getInt("read_ct"),
            rs.getObject("enqueued_at", java.time.OffsetDateTime.class),
            rs.getObject("archived_at", java.time.OffsetDateTime.class),
            io.planperfect.json.Json.read(rs.getString("message"))))
        .list());
  }
}
