package io.planperfect.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The durable queue (pgmq semantics) over queue_messages and queue_archive. All of its SQL is
 * here. Operations that must commit with other work take the caller's {@link Handle}; the
 * claim runs on its own. Every time decision uses the database clock.
 */
public final class MessageQueue {
  private static final String COLUMNS =
      "msg_id, queue_name, stage, job_id, priority, read_ct, enqueued_at, vt, lease, message::text as message";

  private static final String SEND = """
      insert into queue_messages (queue_name, stage, job_id, priority, vt, message)
      values (:queue, :stage, :jobId, :priority, now() + make_interval(secs => :delay), cast(:message as jsonb))
      returning msg_id
      """;

  // why: one statement; SKIP LOCKED lets concurrent claimers pass each other, and the
  // subquery's predicate and order match queue_messages_claim_idx exactly.
  private static final String CLAIM = """
      update queue_messages m
         set vt = now() + make_interval(secs => :visibility),
             read_ct = m.read_ct + 1,
             lease = gen_random_uuid()
       where m.msg_id in (
             select msg_id from queue_messages
              where queue_name = :queue and stage = :stage and vt <= now()
              order by priority desc, msg_id
              limit :qty
              for update skip locked)
      returning\s""" + COLUMNS.replace("msg_id,", "m.msg_id,");

  private static final String ARCHIVE = """
      with done as (
        delete from queue_messages where msg_id = :msgId and lease = :lease
        returning msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease, message)
      insert into queue_archive (msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease, message)
      select msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease, message from done
      """;

  private static final String RETRY_LATER = """
      update queue_messages set vt = now() + make_interval(secs => :delay), lease = null
       where msg_id = :msgId and lease = :lease
      """;

  private static final String EXTEND = """
      update queue_messages set vt = now() + make_interval(secs => :extension)
       where msg_id = :msgId and lease = :lease
      """;

  private final Jdbi jdbi;

  public MessageQueue(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Sends {job_id, stage, payload} to a queue within the caller's transaction. */
  public long send(Handle handle, String queue, String stage, UUID jobId, JsonNode payload, SendOptions options) {
    ObjectNode message = Json.object();
    message.put("job_id", jobId == null ? null : jobId.toString());
    message.put("stage", stage);
    message.set("payload", payload == null ? Json.object() : payload);
    return handle.createQuery(SEND)
        .bind("queue", queue)
        .bind("stage", stage)
        .bind("jobId", jobId)
        .bind("priority", options.priority())
        .bind("delay", seconds(options.delay()))
        .bind("message", Json.write(message))
        .mapTo(Long.class)
        .one();
  }

  /**
   * Claims up to {@code qty} ready messages of one stage, highest priority first then oldest,
   * hiding them for the visibility timeout and giving each a fresh lease.
   */
  public List<QueueMessage> claim(String queue, String stage, Duration visibility, int qty) {
    return jdbi.withHandle(handle -> handle.createQuery(CLAIM)
        .bind("queue", queue)
        .bind("stage", stage)
        .bind("visibility", seconds(visibility))
        .bind("qty", qty)
        .map((rs, ctx) -> toMessage(rs))
        .list()
        .stream()
        .sorted(Comparator.comparingInt(QueueMessage::priority).reversed()
            .thenComparingLong(QueueMessage::msgId))
        .toList());
  }

  /** Moves a message to the archive; false when the lease no longer matches. */
  public boolean archive(Handle handle, long msgId, UUID lease) {
    return handle.createUpdate(ARCHIVE).bind("msgId", msgId).bind("lease", lease).execute() == 1;
  }

  /** Makes a claimed message visible again after a delay; false when the lease was lost. */
  public boolean retryLater(Handle handle, long msgId, UUID lease, Duration delay) {
    return handle.createUpdate(RETRY_LATER)
        .bind("delay", seconds(delay))
        .bind("msgId", msgId)
        .bind("lease", lease)
        .execute() == 1;
  }

  /** Gives a claimed message back at once (graceful shutdown); false when the lease was lost. */
  public boolean release(long msgId, UUID lease) {
    return jdbi.withHandle(handle -> retryLater(handle, msgId, lease, Duration.ZERO));
  }

  /** Pushes a claimed message's visibility further out; false when the lease was lost. */
  public boolean extendVisibility(long msgId, UUID lease, Duration extension) {
    return jdbi.withHandle(handle -> handle.createUpdate(EXTEND)
        .bind("extension", seconds(extension))
        .bind("msgId", msgId)
        .bind("lease", lease)
        .execute() == 1);
  }

  /** True while the lease still holds the message (checked inside a stage's transactions). */
  public boolean holds(Handle handle, long msgId, UUID lease) {
    return handle.createQuery("select exists(select 1 from queue_messages where msg_id = :msgId and lease = :lease)")
        .bind("msgId", msgId)
        .bind("lease", lease)
        .mapTo(Boolean.class)
        .one();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  private static QueueMessage toMessage(ResultSet rs) throws SQLException {
    return new QueueMessage(
        rs.getLong("msg_id"),
        rs.getString("queue_name"),
        rs.getString("stage"),
        rs.getObject("job_id", UUID.class),
        rs.getInt("priority"),
        rs.getInt("read_ct"),
        rs.getObject("enqueued_at", OffsetDateTime.class),
        rs.getObject("vt", OffsetDateTime.class),
        rs.getObject("lease", UUID.class),
        Json.read(rs.getString("message")));
  }
}
