package io.planperfect.http;

import io.planperfect.pipeline.Priority;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.RetrySettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Set;
import java.util.regex.Pattern;

import static io.planperfect.http.BodyFields.optionalInt;
import static io.planperfect.http.BodyFields.optionalText;
import static io.planperfect.http.BodyFields.requiredText;

/**
 * Turns an intake body (seed 001's envelope: job_type, requester_email, payload, initial_stage,
 * priority, retry settings, scheduled_at, callback_url) into a {@link NewJob}, or refuses it with a 400 that names
 * the offending field. The payload's own fields are checked by intake, by the job type's pipeline
 * ({@code IntakeRules}), for every route alike. Nothing is stored before both have passed.
 */
public final class IntakeRequestParser {
  static final int MAX_ATTEMPTS = RetrySettings.MAX_ATTEMPTS_LIMIT;
  static final int MAX_RETRY_DELAY_SECONDS = RetrySettings.MAX_RETRY_DELAY_SECONDS;
  /** How far ahead a job may be scheduled; anything later is taken for a mistake. */
  static final Duration MAX_SCHEDULE_AHEAD = Duration.ofDays(365);
  private static final Set<String> FIELDS = Set.of("job_type", "requester_email", "payload", "initial_stage", "priority",
      "max_attempts", "retry_delay_seconds", "scheduled_at", "callback_url");
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s]{2,}$");

  private final PipelineRegistry pipelines;
  private final Clock clock;
  private final CallbackUrls callbacks;

  /** {@code callbacks}: the rules a job's callback_url must pass (those of the fetcher that will post it). */
  public IntakeRequestParser(PipelineRegistry pipelines, Clock clock, CallbackUrls callbacks) {
    this.pipelines = pipelines;
    this.clock = clock;
    this.callbacks = callbacks;
  }

  /**
   * Seed 002's body shape as an intake envelope: the envelope's fields stay where they are, every other
   * field moves into the payload. A body that already has a payload is taken as it is.
   */
  static JsonNode envelope(String jobType, JsonNode body) {
    BodyFields.requireObject(body);
    if (body.has("payload")) {
      ObjectNode copy = ((ObjectNode) body).deepCopy();
      copy.put("job_type", jobType);
      return copy;
    }
    ObjectNode envelope = io.planperfect.json.Json.object();
    ObjectNode payload = envelope.putObject("payload");
    body.fields().forEachRemaining(field -> {
      if (FIELDS.contains(field.getKey())) {
        envelope.set(field.getKey(), field.getValue());
      } else {
        payload.set(field.getKey(), field.getValue());
      }
    });
    envelope.put("job_type", jobType);
    return envelope;
  }

  public NewJob parse(JsonNode body) {
    BodyFields.requireObject(body);
    rejectUnknownFields(body);
    String jobType = requiredText(body, "job_type", "job_type");
    PipelineDefinition pipeline = pipelines.forJobType(jobType).orElseThrow(() -> ApiError.invalid("job_type",
        "job_type must be one of " + pipelines.jobTypes() + ", got '" + jobType + "'"));
    String email = optionalText(body, "requester_email", "requester_email");
    if (email != null && !EMAIL.matcher(email).matches()) {
      throw ApiError.invalid("requester_email", "requester_email is not a valid e-mail address");
    }
    ObjectNode payload = payload(body.get("payload"));
    String initialStage = optionalText(body, "initial_stage", "initial_stage");
    if (initialStage != null && !pipeline.hasStage(initialStage)) {
      throw ApiError.invalid("initial_stage",
          "initial_stage must be one of " + pipeline.stageNames() + ", got '" + initialStage + "'");
    }
    Integer given = Priority.parse(body, "priority", "priority");
    Integer computed = given == null ? pipeline.intake().defaultPriority(payload) : null;
    int priority = given != null ? given : computed != null ? computed : Priority.NORMAL.value();
    Integer maxAttempts = BodyFields.optionalInteger(body, "max_attempts", "max_attempts", 1, MAX_ATTEMPTS);
    Integer retryDelay = BodyFields.optionalInteger(body, "retry_delay_seconds", "retry_delay_seconds", 0, MAX_RETRY_DELAY_SECONDS);
    Instant scheduledAt = scheduledAt(optionalText(body, "scheduled_at", "scheduled_at"));
    String callbackUrl = callbacks.check(optionalText(body, "callback_url", "callback_url"), "callback_url");
    return new NewJob(pipeline, jobType, email, payload,
        initialStage == null ? pipeline.firstStage() : initialStage, priority, maxAttempts, retryDelay, scheduledAt,
        callbackUrl);
  }

  /** An ISO-8601 timestamp with offset, from the epoch to {@link #MAX_SCHEDULE_AHEAD} from now; null when absent. */
  private Instant scheduledAt(String text) {
    if (text == null) {
      return null;
    }
    Instant at;
    try {
      at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.invalid("scheduled_at",
          "scheduled_at must be an ISO-8601 timestamp with offset, e.g. 2026-11-23T09:00:00Z");
    }
    if (at.isBefore(Instant.EPOCH) || at.isAfter(clock.instant().plus(MAX_SCHEDULE_AHEAD))) {
      throw ApiError.invalid("scheduled_at", "scheduled_at must lie between 1970-01-01T00:00:00Z and "
          + MAX_SCHEDULE_AHEAD.toDays() + " days from now");
    }
    return at;
  }

  /** The payload object; its fields are the pipeline's to check (its {@code IntakeRules}). */
  private static ObjectNode payload(JsonNode payload) {
    if (payload == null || payload.isNull()) {
      throw ApiError.invalid("payload", "payload is required");
    }
    if (!payload.isObject()) {
      throw ApiError.invalid("payload", "payload must be a JSON object");
    }
    return (ObjectNode) payload;
  }

  private static void rejectUnknownFields(JsonNode body) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiError.invalid(name, "unknown field '" + name + "'; allowed: " + FIELDS);
      }
    }
  }
}
