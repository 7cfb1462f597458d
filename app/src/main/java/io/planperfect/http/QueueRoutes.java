package io.planperfect.http;

import static io.planperfect.http.BodyFields.optionalInteger;
import static io.planperfect.http.BodyFields.optionalLong;
import static io.planperfect.http.BodyFields.optionalText;
import static io.planperfect.http.BodyFields.optionalUuid;
import static io.planperfect.http.BodyFields.requiredLong;
import static io.planperfect.http.BodyFields.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.planperfect.json.Json;
import io.planperfect.queue.Backoff;
import io.planperfect.queue.DeadLetter;
import io.planperfect.queue.Lease;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.Outgoing;
import io.planperfect.queue.QueueAdmin;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** The handlers of the queue API over HTTP ({@code /api/v1/queues/...}): every operation of {@link MessageQueue}. */
public final class QueueRoutes {
  static final int MAX_QTY = 1000;
  static final int MAX_BATCH = 1000;
  static final int MAX_SECONDS = 7 * 24 * 3600;
  private static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9_]{0,47}$");

  private final MessageQueue queue;
  private final QueueAdmin admin;
  private final WorkAnnouncer announcer;

  public QueueRoutes(MessageQueue queue, QueueAdmin admin, WorkAnnouncer announcer) {
    this.queue = queue;
    this.admin = admin;
    this.announcer = announcer;
  }

  void list(Context ctx) {
    ArrayNode queues = Json.MAPPER.createArrayNode();
    admin.list().forEach(name -> queues.add(Json.MAPPER.valueToTree(admin.metrics(name))));
    ctx.json(queues);
  }

  void create(Context ctx) {
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    String name = requiredText(body, "queue_name", "queue_name");
    if (!NAME.matcher(name).matches()) {
      throw ApiError.invalid("queue_name", "queue_name must match " + NAME.pattern());
    }
    boolean created = admin.create(name);
    ctx.status(created ? 201 : 200).json(Json.object().put("queue_name", name).put("created", created));
  }

  void drop(Context ctx) {
    if (!admin.drop(ctx.pathParam("queue"))) {
      throw ApiError.notFound("no queue " + ctx.pathParam("queue"));
    }
    ctx.json(Json.object().put("dropped", ctx.pathParam("queue")));
  }

  void metrics(Context ctx) {
    String name = existing(ctx);
    ObjectNode body = Json.MAPPER.valueToTree(admin.metrics(name));
    body.set("stages", Json.MAPPER.valueToTree(admin.stageMetrics(name)));
    ctx.json(body);
  }

  void archived(Context ctx) {
    String name = existing(ctx);
    var jobId = Optional.ofNullable(ctx.queryParam("job_id")).map(v -> BodyFields.uuid(v, "job_id"));
    ctx.json(admin.archived(name, jobId, 100));
  }

  /** One message, or {"messages": [...]} for a batch; answers {"msg_ids": [...]}. */
  void send(Context ctx) {
    String name = existing(ctx);
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    List<Outgoing> outgoing = new ArrayList<>();
    JsonNode batch = body.get("messages");
    if (batch == null) {
      outgoing.add(outgoing(body, ""));
    } else if (!batch.isArray() || batch.isEmpty() || batch.size() > MAX_BATCH) {
      throw ApiError.invalid("messages", "messages must be an array of 1 to " + MAX_BATCH + " messages");
    } else {
      for (int i = 0; i < batch.size(); i++) {
        BodyFields.requireObject(batch.get(i));
        outgoing.add(outgoing(batch.get(i), "messages[" + i + "]."));
      }
    }
    List<Long> ids = queue.sendBatch(name, outgoing);
    outgoing.stream().filter(m -> m.options().delay().isZero()).map(Outgoing::stage).distinct()
        .forEach(stage -> announcer.announce(name, stage));
    ctx.status(201).json(ids("msg_ids", ids));
  }

  private static Outgoing outgoing(JsonNode m, String prefix) {
    String stage = requiredText(m, "stage", prefix + "stage");
    JsonNode payload = m.get("payload");
    if (payload != null && !payload.isObject() && !payload.isNull()) {
      throw ApiError.invalid(prefix + "payload", prefix + "payload must be a JSON object");
    }
    return new Outgoing(stage, optionalUuid(m, "job_id", prefix + "job_id"), payload, options(m, prefix));
  }

  /** Options as a seed 001 client passes them: an object, a bare number (the delay), or top-level fields. */
  private static SendOptions options(JsonNode m, String prefix) {
    JsonNode options = m.has("options") ? m.get("options") : m;
    String at = m.has("options") ? prefix + "options." : prefix;
    if (options.isNumber()) {
      long delay = requiredLong(m, "options", prefix + "options", 0, MAX_SECONDS);
      return SendOptions.delay(Duration.ofSeconds(delay));
    }
    if (!options.isObject()) {
      throw ApiError.invalid(prefix + "options", prefix + "options must be an object or a number of seconds of delay");
    }
    int priority = BodyFields.optionalInt(options, "priority", at + "priority", 0, -1000, 1000);
    Long delay = optionalLong(options, "delaySeconds", at + "delaySeconds", 0, MAX_SECONDS);
    Long visibility = optionalLong(options, "visibilitySeconds", at + "visibilitySeconds", 1, MAX_SECONDS);
    Integer maxAttempts = optionalInteger(options, "maxAttempts", at + "maxAttempts", 1, 100);
    Long retryDelay = optionalLong(options, "retryDelaySeconds", at + "retryDelaySeconds", 0, MAX_SECONDS);
    return new SendOptions(priority, Duration.ofSeconds(delay == null ? 0 : delay),
        visibility == null ? null : Duration.ofSeconds(visibility), maxAttempts,
        retryDelay == null ? null : Duration.ofSeconds(retryDelay));
  }

  void readMessages(Context ctx) {
    ctx.json(messages(read(ctx, false)));
  }

  void popMessages(Context ctx) {
    ctx.json(messages(read(ctx, true)));
  }

  void archiveMessages(Context ctx) {
    ctx.json(ids("archived", queue.archive(leases(ctx))));
  }

  void deleteMessages(Context ctx) {
    ctx.json(ids("deleted", queue.delete(existing(ctx), leases(ctx))));
  }

  void purge(Context ctx) {
    ctx.json(Json.object().put("purged", admin.purge(existing(ctx))));
  }

  private List<QueueMessage> read(Context ctx, boolean pop) {
    String name = existing(ctx);
    JsonNode body = JsonBody.readOptionalObject(ctx);
    Optional<String> stage = Optional.ofNullable(optionalText(body, "stage", "stage"));
    int qty = BodyFields.optionalInt(body, "qty", "qty", 1, 1, MAX_QTY);
    if (pop) {
      return queue.pop(name, stage, qty);
    }
    long vt = optionalLong(body, "vt", "vt", 1, MAX_SECONDS) == null ? 30 : body.get("vt").asLong();
    return queue.claim(name, stage, Duration.ofSeconds(vt), qty);
  }

  void extend(Context ctx) {
    existing(ctx);
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    Lease lease = lease(body, "");
    long seconds = requiredLong(body, "seconds", "seconds", 1, MAX_SECONDS);
    boolean extended = queue.extendVisibility(lease.msgId(), lease.token(), Duration.ofSeconds(seconds));
    leaseHeld(extended, lease);
    ctx.json(Json.object().put("msg_id", lease.msgId()).put("extended", true).put("seconds", seconds));
  }

  /** Seed 001's delayedRequeueJob: back after baseDelaySeconds × 2^attempt (capped, jittered). */
  void requeue(Context ctx) {
    existing(ctx);
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    Lease lease = lease(body, "");
    long base = requiredLong(body, "baseDelaySeconds", "baseDelaySeconds", 0, MAX_SECONDS);
    long cap = Optional.ofNullable(optionalLong(body, "maxDelaySeconds", "maxDelaySeconds", 0, MAX_SECONDS)).orElse(3600L);
    int attempt = BodyFields.optionalInt(body, "attempt", "attempt", 0, 0, 62);
    Integer priority = optionalInteger(body, "priorityOverride", "priorityOverride", -1000, 1000);
    Optional<Duration> delay = queue.requeueWithBackoff(lease,
        Backoff.of(Duration.ofSeconds(base), Duration.ofSeconds(cap)), attempt, priority);
    leaseHeld(delay.isPresent(), lease);
    ctx.json(Json.object().put("msg_id", lease.msgId()).put("delay_ms", delay.get().toMillis()));
  }

  void deadLetter(Context ctx) {
    String name = existing(ctx);
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    Lease lease = lease(body, "");
    String reason = requiredText(body, "reason", "reason");
    JsonNode error = body.get("error_details");
    JsonNode message = body.has("message") ? body.get("message") : Json.object();
    int attempts = BodyFields.optionalInt(body, "attempt_count", "attempt_count", 0, 0, 1000);
    boolean moved = queue.moveToDeadLetter(new DeadLetter(name, name, lease.msgId(), lease.token(),
        optionalUuid(body, "job_id", "job_id"), optionalText(body, "stage", "stage"), message, reason, error, attempts));
    leaseHeld(moved, lease);
    ctx.status(201).json(Json.object().put("msg_id", lease.msgId()).put("dead_lettered", true));
  }

  /** {"msg_id", "lease"} or {"messages": [{"msg_id", "lease"}, ...]}. */
  private static List<Lease> leases(Context ctx) {
    JsonNode body = JsonBody.read(ctx);
    BodyFields.requireObject(body);
    JsonNode many = body.get("messages");
    if (many == null) {
      return List.of(lease(body, ""));
    }
    if (!many.isArray() || many.isEmpty() || many.size() > MAX_BATCH) {
      throw ApiError.invalid("messages", "messages must be an array of 1 to " + MAX_BATCH + " {msg_id, lease}");
    }
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < many.size(); i++) {
      BodyFields.requireObject(many.get(i));
      leases.add(lease(many.get(i), "messages[" + i + "]."));
    }
    return leases;
  }

  private static Lease lease(JsonNode body, String prefix) {
    return new Lease(requiredLong(body, "msg_id", prefix + "msg_id", 1, Long.MAX_VALUE),
        optionalUuid(body, "lease", prefix + "lease"));
  }

  private static void leaseHeld(boolean held, Lease lease) {
    if (!held) {
      throw new ApiError(409, "lease_lost",
          "message " + lease.msgId() + " is gone or held under another lease", "lease");
    }
  }

  private String existing(Context ctx) {
    String name = ctx.pathParam("queue");
    if (!admin.exists(name)) {
      throw ApiError.notFound("no queue " + name);
    }
    return name;
  }

  private static ArrayNode messages(List<QueueMessage> messages) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    for (QueueMessage m : messages) {
      array.addObject()
          .put("msg_id", m.msgId())
          .put("stage", m.stage())
          .put("job_id", m.jobId() == null ? null : m.jobId().toString())
          .put("priority", m.priority())
          .put("read_ct", m.readCount())
          .put("enqueued_at", m.enqueuedAt().toString())
          .put("vt", m.visibleAt().toString())
          .put("lease", m.lease() == null ? null : m.lease().toString())
          .set("message", m.message());
    }
    return array;
  }

  private static ObjectNode ids(String field, List<Long> ids) {
    ObjectNode body = Json.object();
    ids.forEach(body.putArray(field)::add);
    return body;
  }
}
