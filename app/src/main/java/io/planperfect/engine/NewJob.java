package io.planperfect.engine;

import io.planperfect.pipeline.RetrySettings;
import io.planperfect.pipeline.PipelineDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * A validated request for a job: which pipeline, its inputs, where in the chain to start, and,
 * when the job sets them, its own attempt limit and retry delay (null: the stage's settings) and
 * the time it should start (null or not in the future: at once), and the URL its summary is posted to
 * when it ends (null: none; checked by the HTTP layer against the fetcher's rules).
 */
public record NewJob(
    PipelineDefinition pipeline,
    String jobType,
    String requesterEmail,
    ObjectNode payload,
    String initialStage,
    int priority,
    Integer maxAttempts,
    Integer retryDelaySeconds,
    Instant scheduledAt,
    String callbackUrl) {

  public NewJob(PipelineDefinition pipeline, String jobType, String requesterEmail, ObjectNode payload,
      String initialStage, int priority) {
    this(pipeline, jobType, requesterEmail, payload, initialStage, priority, null, null, null, null);
  }

  public NewJob {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(payload, "payload");
    if (!pipeline.hasStage(initialStage)) {
      throw new IllegalArgumentException("pipeline " + pipeline.name() + " has no stage " + initialStage);
    }
    // why: a limit below 1 or a negative delay is refused here, not at the stage's first attempt.
    new RetrySettings(maxAttempts, retryDelaySeconds);
  }

  /** The job's own retry settings, which win over every other level; unset ones are null. */
  public RetrySettings retry() {
    return new RetrySettings(maxAttempts, retryDelaySeconds);
  }

  /** The same job with its payload checked and completed by its pipeline's intake rules, starting at {@code stage}. */
  NewJob accepted(ObjectNode checkedPayload, String stage) {
    return new NewJob(pipeline, jobType, requesterEmail, checkedPayload, stage, priority, maxAttempts, retryDelaySeconds,
        scheduledAt, callbackUrl);
  }

  /** The same job, to start at {@code at} (null: at once). */
  public NewJob withScheduledAt(Instant at) {
    return new NewJob(pipeline, jobType, requesterEmail, payload, initialStage, priority, maxAttempts, retryDelaySeconds, at,
        callbackUrl);
  }
}
