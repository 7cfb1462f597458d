package io.planperfect.engine;

import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.PipelineDefinition;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.queue.QueueMessage;
import java.util.Map;

/** One run of a stage for a job: the claimed message, the attempt number and the job's inputs. */
public record StageAttempt(
    QueueMessage message,
    PipelineDefinition pipeline,
    String jobType,
    int attempt,
    int maxAttempts,
    int priority,
    java.time.Duration retryDelay,
    ObjectNode jobPayload,
    Map<String, JsonNode> previousResults) {

  public String stage() {
    return message.stage();
  }

  public java.util.UUID jobId() {
    return message.jobId();
  }

  /** True when earlier runs already used every attempt without finishing (their worker died). */
  public boolean exhausted() {
    return attempt > maxAttempts;
  }

  StageContext context(io.planperfect.pipeline.ModelUsage usage) {
    return new StageContext(jobId(), pipeline.name(), jobType, stage(), attempt, jobPayload, previousResults, usage);
  }

  @Override
  public String toString() {
    return "job=%s stage=%s attempt=%d/%d msg=%d".formatted(jobId(), stage(), attempt, maxAttempts, message.msgId());
  }
}
