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
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * The durable queue (pgmq semantics) over queue_messages and queue_archive: the operations a
 * message goes through, from send to archive. All of their SQL is here. Operations that must
 * commit with other work take the caller's {@link Handle}. Every time decision uses the
 * database clock.
 *
 * <p>Fencing: a claim gives the message a fresh lease. Archive, delete, requeue, release and
 * extend match {@code lease IS NOT DISTINCT FROM} the caller's token, so whoever lost the message
 * to a newer claim cannot touch it, while a message never read (lease null) can be handled by id.
 */
public final class MessageQueue {
  static final String COLUMNS = "msg_id, queue_name, stage, job_id, priority, read_ct, enqueued_at, vt, lease, "
      + "message::text as message, visibility_seconds, max_attempts, retry_delay_seconds";
  static final String MOVED_COLUMNS = "msg_id, queue_name, stage, job_id, priority, enqueued_at, vt, read_ct, lease, "
      + "message, visibility_seconds, max_attempts, retry_delay_seconds";

  private static final String SEND_BATCH = """
      insert into queue_messages (queue_name, stage, job_id, priority, vt, message, visibility_seconds,
                                  max_attempts, retry_delay_seconds)
      select :queue, m.stage, m.job_id, m.priority, now() + make_interval(secs => m.delay), m.message,
             m.visibility, m.max_attempts, m.retry_delay
        from unnest(:stages, :jobIds, :priorities, :delays, cast(:messages as jsonb[]), :visibilities,
                    :maxAttempts, :retryDelays)
             as m(stage, job_id, priority, delay, message, visibility, max_attempts, retry_delay)
      returning msg_id
      """;

  // why: one row needs no arrays: building eight of them and unnesting them cost the client and the
  // server more than the insert itself on a single send (the common case: one message per stage).
  private static final String SEND_ONE = """
      insert into queue_messages (queue_name, stage, job_id, priority, vt, message, visibility_seconds,
                                  max_attempts, retry_delay_seconds)
      values (:queue, :stage, :jobId, :priority, now() + make_interval(secs => :delay), cast(:message as jsonb),
              :visibility, :maxAttempts, :retryDelay)
      returning msg_id
      """;

  // why: one statement; SKIP LOCKED lets concurrent claimers pass each other, and the
  // subquery's predicate and order match queue_messages_claim_idx exactly. The statements below take
  // the head as an array (= any(array(...))): so the message rows are found by primary key whatever the
  // plan, where "in (head)" could be planned as a hash join over a sequential scan of the queue.
  private static final String READY_HEAD = """
      select msg_id from queue_messages
       where queue_name = :queue and stage = :stage and vt <= now()
       order by priority desc, msg_id
       limit :qty
       for update skip locked""";

  private static final String RETURNING = " returning m." + COLUMNS.replace(", ", ", m.");

  private static final String CLAIM = """
      update queue_messages m
         set vt = now() + make_interval(secs => coalesce(m.visibility_seconds, :visibility)),
             read_ct = m.read_ct + 1,
             lease = gen_random_uuid()
       where m.msg_id = any(array(%s))""".formatted(READY_HEAD) + RETURNING;

  private static final String POP = "delete from queue_messages m where m.msg_id = any(array(%s))".formatted(READY_HEAD) + RETURNING;

  // why: a claim and its archive in one statement, so one round trip and one commit: the row goes
  // straight from the ready head to the archive with what the claim would have written (vt, read_ct,
  // a fresh lease). Such a claim takes no stage slot, so there is no slot to free.
  private static final String CLAIM_AND_ARCHIVE = """
      with claimed as (
        delete from queue_messages m where m.msg_id = any(array(%s))
        returning m.*)
      insert into queue_archive (%s)
      select msg_id, queue_name, stage, job_id, priority, enqueued_at,
             now() + make_interval(secs => coalesce(visibility_seconds, :visibility)), read_ct + 1, gen_random_uuid(),
             message, visibility_seconds, max_attempts, retry_delay_seconds
        from claimed
      returning %s""".formatted(READY_HEAD, MOVED_COLUMNS, COLUMNS);

  private static final HeadStatement CLAIM_ONE_STAGE = HeadStatement.of(CLAIM);
  private static final HeadStatement CLAIM_ANY_STAGE = HeadStatement.of(CLAIM.replace("and stage = :stage ", ""));
  private static final HeadStatement POP_ONE_STAGE = HeadStatement.of(POP);
  private static final HeadStatement POP_ANY_STAGE = HeadStatement.of(POP.replace("and stage = :stage ", ""));
  private static final HeadStatement CLAIM_AND_ARCHIVE_ONE_STAGE = HeadStatement.of(CLAIM_AND_ARCHIVE);
  private static final HeadStatement CLAIM_AND_ARCHIVE_ANY_STAGE =
      HeadStatement.of(CLAIM_AND_ARCHIVE.replace("and stage = :stage ", ""));

  // why: freeing the stage slot in the same statement keeps the in-flight ledger exact.
  private static final String FREE_SLOTS = """
      freed as (
        update stage_slots s set msg_id = null, lease = null, expires_at = null
         where s.lease in (select d.lease from done d where d.lease is not null))""";

  /** The messages given by lease, as two arrays (LeaseStatement puts one lease by equality in its place). */
  private static final String BY_LEASES =
      "using unnest(:ids, :leases) as u(msg_id, lease) where q.msg_id = u.msg_id and q.lease is not distinct from u.lease";

  private static final LeaseStatement ARCHIVE = LeaseStatement.of("""
      with done as (
        delete from queue_messages q %3$s
        returning q.*),
      %2$s
      insert into queue_archive (%1$s) select %1$s from done
      returning msg_id
      """.formatted(MOVED_COLUMNS, FREE_SLOTS, BY_LEASES));

  private static final LeaseStatement DELETE = LeaseStatement.of("""
      with done as (
        delete from queue_messages q %2$s
        returning q.msg_id, q.lease),
      %1$s
      select msg_id from done
      """.formatted(FREE_SLOTS, BY_LEASES));

  private static final String DELETE_FOR_JOB = """
      with done as (
        delete from queue_messages where job_id = :jobId returning msg_id, lease),
      %s
      select count(*) from done
      """.formatted(FREE_SLOTS);

  private static final String REQUEUE = """
      with done as (
        update queue_messages set vt = now() + make_interval(secs => :delay), lease = null,
                                  priority = coalesce(:priority, priority)
         where msg_id = :msgId and lease is not distinct from :lease
        returning msg_id, cast(:lease as uuid) as lease),
      %s
      select count(*) from done
      """.formatted(FREE_SLOTS);

  private static final String EXTEND = """
      with done as (
        update queue_messages set vt = now() + make_interval(secs => :extension)
         where msg_id = :msgId and lease is not distinct from :lease
        returning vt),
      slot as (
        update stage_slots set expires_at = (select vt from done)
         where lease = :lease and exists (select 1 from done))
      select count(*) from done
      """;

  // why: bounded look at the head of the claim order, so an idle loop can sleep exactly until
  // the next delayed or expired message becomes visible, at a cost that does not grow with depth.
  private static final String NEXT_VISIBLE = """
      select extract(epoch from min(vt) - now()) from (
        select vt from queue_messages where queue_name = :queue and stage = :stage
         order by priority desc, msg_id limit 200) head
       where vt > now()
      """;

  private final Jdbi jdbi;

  public MessageQueue(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Sends {job_id, stage, payload} to a queue within the caller's transaction. */
  public long send(Handle handle, String queue, String stage, UUID jobId, JsonNode payload, SendOptions options) {
    return sendBatch(handle, queue, List.of(new Outgoing(stage, jobId, payload, options))).get(0);
  }

  /** Sends many messages in one statement; returns their ids in the order given. */
  public List<Long> sendBatch(Handle handle, String queue, List<Outgoing> messages) {
    if (messages.size() == 1) {
      return List.of(sendOne(handle, queue, messages.get(0)));
    }
    int n = messages.size();
    String[] stages = new String[n];
    UUID[] jobIds = new UUID[n];
    Integer[] priorities = new Integer[n];
    Double[] delays = new Double[n];
    String[] bodies = new String[n];
    Integer[] visibilities = new Integer[n];
    Integer[] maxAttempts = new Integer[n];
    Integer[] retryDelays = new Integer[n];
    for (int i = 0; i < n; i++) {
      Outgoing m = messages.get(i);
      stages[i] = m.stage();
      jobIds[i] = m.jobId();
      priorities[i] = m.options().priority();
      delays[i] = seconds(m.options().delay());
      bodies[i] = Json.write(envelope(m));
      visibilities[i] = wholeSeconds(m.options().visibility());
      maxAttempts[i] = m.options().maxAttempts();
      retryDelays[i] = wholeSeconds(m.options().retryDelay());
    }
    return handle.createQuery(SEND_BATCH)
        .bind("queue", queue)
        .bind("stages", stages).bind("jobIds", jobIds).bind("priorities", priorities).bind("delays", delays)
        .bind("messages", bodies).bind("visibilities", visibilities).bind("maxAttempts", maxAttempts)
        .bind("retryDelays", retryDelays)
        .mapTo(Long.class)
        .list();
  }

  private long sendOne(Handle handle, String queue, Outgoing m) {
    SendOptions options = m.options();
    return handle.createQuery(SEND_ONE)
        .bind("queue", queue)
        .bind("stage", m.stage())
        .bind("jobId", m.jobId())
        .bind("priority", options.priority())
        .bind("delay", seconds(options.delay()))
        .bind("message", Json.write(envelope(m)))
        .bind("visibility", wholeSeconds(options.visibility()))
        .bind("maxAttempts", options.maxAttempts())
        .bind("retryDelay", wholeSeconds(options.retryDelay()))
        .mapTo(Long.class)
        .one();
  }

  /** Sends on its own: one statement, so it commits (or not) as a whole without a transaction block. */
  public List<Long> sendBatch(String queue, List<Outgoing> messages) {
    return jdbi.withHandle(h -> sendBatch(h, queue, messages));
  }

  /**
   * Claims up to {@code qty} ready messages of one stage (or of any stage when {@code stage} is
   * empty), highest priority first then oldest, hiding them for the visibility timeout (a
   * message's own visibility wins) and giving each a fresh lease.
   */
  public List<QueueMessage> claim(String queue, Optional<String> stage, Duration visibility, int qty) {
    return jdbi.withHandle(handle -> claim(handle, queue, stage, visibility, qty));
  }

  /** Claims within the caller's transaction (same SQL), e.g. to archive in the same commit. */
  public List<QueueMessage> claim(Handle handle, String queue, Optional<String> stage, Duration visibility, int qty) {
    return inClaimOrder((stage.isPresent() ? CLAIM_ONE_STAGE : CLAIM_ANY_STAGE).query(handle, qty)
        .bind("queue", queue)
        .bind("stage", stage.orElse(null))
        .bind("visibility", seconds(visibility))
        .map((rs, ctx) -> toMessage(rs))
        .list());
  }

  public List<QueueMessage> claim(String queue, String stage, Duration visibility, int qty) {
    return claim(queue, Optional.of(stage), visibility, qty);
  }

  /**
   * Claims up to {@code qty} ready messages (same choice and order as {@link #claim}) and archives
   * them in the same statement: one round trip, one commit, in autocommit. For a consumer whose
   * work commits with the acknowledgement, or needs none; the archive rows read as if claimed and
   * archived in two steps (read count incremented, vt and a fresh lease as the claim would set them).
   */
  public List<QueueMessage> claimAndArchive(String queue, Optional<String> stage, Duration visibility, int qty) {
    return jdbi.withHandle(handle -> claimAndArchive(handle, queue, stage, visibility, qty));
  }

  /** Claims and archives within the caller's transaction (same SQL). */
  public List<QueueMessage> claimAndArchive(Handle handle, String queue, Optional<String> stage, Duration visibility, int qty) {
    return inClaimOrder((stage.isPresent() ? CLAIM_AND_ARCHIVE_ONE_STAGE : CLAIM_AND_ARCHIVE_ANY_STAGE).query(handle, qty)
        .bind("queue", queue)
        .bind("stage", stage.orElse(null))
        .bind("visibility", seconds(visibility))
        .map((rs, ctx) -> toMessage(rs))
        .list());
  }

  /** Reads and deletes up to {@code qty} ready messages (pgmq's pop): no archive, no second chance. */
  public List<QueueMessage> pop(String queue, Optional<String> stage, int qty) {
    List<QueueMessage> popped = jdbi.inTransaction(handle -> {
      List<QueueMessage> messages = (stage.isPresent() ? POP_ONE_STAGE : POP_ANY_STAGE).query(handle, qty)
          .bind("queue", queue).bind("stage", stage.orElse(null))
          .map((rs, ctx) -> toMessage(rs)).list();
      countRemoved(handle, queue, messages.size());
      return messages;
    });
    return inClaimOrder(popped);
  }

  /** Moves a message to the archive; false when the lease no longer matches. */
  public boolean archive(Handle handle, long msgId, UUID lease) {
    return archive(handle, List.of(new Lease(msgId, lease))).size() == 1;
  }

  /** Moves messages to the archive; returns the ids archived (those whose lease still matched). */
  public List<Long> archive(Handle handle, List<Lease> leases) {
    return byLeases(handle, ARCHIVE, leases);
  }

  /** Archives on its own: one statement (archive and slot release together), no transaction block. */
  public List<Long> archive(List<Lease> leases) {
    return jdbi.withHandle(h -> archive(h, leases));
  }

  /** Deletes messages without archiving them; returns the ids deleted. */
  public List<Long> delete(String queue, List<Lease> leases) {
    return jdbi.inTransaction(h -> {
      List<Long> deleted = byLeases(h, DELETE, leases);
      countRemoved(h, queue, deleted.size());
      return deleted;
    });
  }

  /** Makes a claimed message visible again after a delay; false when the lease was lost. */
  public boolean retryLater(Handle handle, long msgId, UUID lease, Duration delay) {
    return requeue(handle, msgId, lease, delay, null);
  }

  /**
   * Seed 001's delayedRequeueJob: the message comes back after {@code backoff.delayFor(attempt)},
   * optionally with a new priority. Returns the delay, or empty when the lease was lost.
   */
  public Optional<Duration> requeueWithBackoff(Handle handle, Lease lease, Backoff backoff, int attempt, Integer priorityOverride) {
    Duration delay = backoff.delayFor(attempt);
    return requeue(handle, lease.msgId(), lease.token(), delay, priorityOverride) ? Optional.of(delay) : Optional.empty();
  }

  public Optional<Duration> requeueWithBackoff(Lease lease, Backoff backoff, int attempt, Integer priorityOverride) {
    return jdbi.inTransaction(h -> requeueWithBackoff(h, lease, backoff, attempt, priorityOverride));
  }

  /** Gives a claimed message back at once (graceful shutdown); false when the lease was lost. */
  public boolean release(long msgId, UUID lease) {
    return jdbi.withHandle(handle -> retryLater(handle, msgId, lease, Duration.ZERO));
  }

  /** Makes a claimed message invisible for {@code extension} from now; false when the lease was lost. */
  public boolean extendVisibility(long msgId, UUID lease, Duration extension) {
    return jdbi.withHandle(handle -> handle.createQuery(EXTEND)
        .bind("extension", seconds(extension))
        .bind("msgId", msgId)
        .bind("lease", lease)
        .mapTo(Integer.class)
        .one() == 1);
  }

  /**
   * Moves a message to the dead letters (archived, plus a dead_letters row with the reason, the
   * error and the attempt count), in the caller's transaction; false when the lease was lost.
   */
  public boolean moveToDeadLetter(Handle handle, DeadLetter letter) {
    if (!archive(handle, letter.msgId(), letter.lease())) {
      return false;
    }
    handle.createUpdate("""
            insert into dead_letters (pipeline, queue_name, msg_id, job_id, stage, payload, failure_reason,
                                      error_details, attempt_count)
            values (:pipeline, :queue, :msgId, :jobId, :stage, cast(:payload as jsonb), :reason,
                    cast(:error as jsonb), :attempts)""")
        .bind("pipeline", letter.pipeline())
        .bind("queue", letter.queue())
        .bind("msgId", letter.msgId())
        .bind("jobId", letter.jobId())
        .bind("stage", letter.stage())
        .bind("payload", Json.write(letter.message()))
        .bind("reason", letter.reason())
        .bind("error", letter.errorDetails() == null ? null : Json.write(letter.errorDetails()))
        .bind("attempts", letter.attemptCount())
        .execute();
    return true;
  }

  public boolean moveToDeadLetter(DeadLetter letter) {
    return jdbi.inTransaction(h -> moveToDeadLetter(h, letter));
  }

  /** Deletes every waiting or running message of a job (cancel), freeing their slots; returns how many. */
  public int deleteForJob(Handle handle, UUID jobId) {
    return handle.createQuery(DELETE_FOR_JOB).bind("jobId", jobId).mapTo(Integer.class).one();
  }

  /** How long until the next not-yet-visible message at the head of a stage becomes visible. */
  public Optional<Duration> nextVisibleIn(String queue, String stage) {
    return jdbi.withHandle(h -> h.createQuery(NEXT_VISIBLE).bind("queue", queue).bind("stage", stage)
        .mapTo(Double.class).findOne())
        .map(s -> Duration.ofMillis(Math.max(0, Math.round(s * 1000))));
  }

  private boolean requeue(Handle handle, long msgId, UUID lease, Duration delay, Integer priority) {
    return handle.createQuery(REQUEUE)
        .bind("delay", seconds(delay))
        .bind("priority", priority)
        .bind("msgId", msgId)
        .bind("lease", lease)
        .mapTo(Integer.class)
        .one() == 1;
  }

  private static List<Long> byLeases(Handle handle, LeaseStatement statement, List<Lease> leases) {
    return statement.query(handle, leases).mapTo(Long.class).list();
  }

  /**
   * A statement on messages given by lease, in two texts: one lease by equality, several by
   * {@code unnest} of two arrays. why: the length of the arrays is what the planner cannot know in a plan
   * for any values, so the array text was planned again at about half of its calls (pg_stat_statements,
   * session 12); the common case, one message archived or deleted after its run, keeps its plan.
   */
  private record LeaseStatement(String single, String many) {
    static LeaseStatement of(String sql) {
      if (!sql.contains(BY_LEASES)) {
        throw new IllegalArgumentException("no lease arrays in " + sql);
      }
      return new LeaseStatement(sql.replace(BY_LEASES, "where q.msg_id = :id and q.lease is not distinct from :lease"), sql);
    }

    Query query(Handle handle, List<Lease> leases) {
      return leases.size() == 1
          ? handle.createQuery(single).bind("id", leases.get(0).msgId()).bind("lease", leases.get(0).token())
          : handle.createQuery(many)
              .bind("ids", leases.stream().map(Lease::msgId).toArray(Long[]::new))
              .bind("leases", leases.stream().map(Lease::token).toArray(UUID[]::new));
    }
  }

  static void countRemoved(Handle handle, String queue, int removed) {
    if (removed > 0) {
      handle.createUpdate("update queues set removed_count = removed_count + :n where queue_name = :queue")
          .bind("n", removed).bind("queue", queue).execute();
    }
  }

  private static ObjectNode envelope(Outgoing m) {
    ObjectNode message = Json.object();
    message.put("job_id", m.jobId() == null ? null : m.jobId().toString());
    message.put("stage", m.stage());
    message.set("payload", m.payload() == null ? Json.object() : m.payload());
    return message;
  }

  /**
   * A statement on the queue's ready head in two texts: "limit 1" for one message and "limit :qty" for
   * more. why: PostgreSQL plans a prepared statement for its parameters' values until a plan for any
   * values looks as cheap; with the limit a parameter that plan is costed at a tenth of the queue's rows,
   * so every claim of one message was planned again (a third of its time, measured with pgbench). With
   * the limit a constant the plan is kept; a claim of many plans once for all of them.
   */
  private record HeadStatement(String single, String many) {
    static HeadStatement of(String sql) {
      if (!sql.contains("limit :qty")) {
        throw new IllegalArgumentException("no 'limit :qty' in " + sql);
      }
      return new HeadStatement(sql.replace("limit :qty", "limit 1"), sql);
    }

    Query query(Handle handle, int qty) {
      return qty == 1 ? handle.createQuery(single) : handle.createQuery(many).bind("qty", qty);
    }
  }

  /** The texts for one lease (archive, delete): their plans are tested. */
  static List<String> oneLeaseStatements() {
    return List.of(ARCHIVE.single(), DELETE.single());
  }

  /** The one-stage statements' texts for one message (claim, pop, claim and archive): their plans are tested. */
  static List<String> oneMessageHeadStatements() {
    return List.of(CLAIM_ONE_STAGE.single(), POP_ONE_STAGE.single(), CLAIM_AND_ARCHIVE_ONE_STAGE.single());
  }

  private static List<QueueMessage> inClaimOrder(List<QueueMessage> messages) {
    return messages.stream()
        .sorted(Comparator.comparingInt(QueueMessage::priority).reversed().thenComparingLong(QueueMessage::msgId))
        .toList();
  }

  private static Integer wholeSeconds(Duration duration) {
    return duration == null ? null : (int) duration.toSeconds();
  }

  static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }

  /** A claimed message from a row holding the columns of {@link #COLUMNS} (message as text). */
  public static QueueMessage toMessage(ResultSet rs) throws SQLException {
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
