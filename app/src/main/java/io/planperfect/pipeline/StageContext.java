package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;

/**
 * What a stage handler sees: the job's identity and inputs, this attempt's number, and the
 * results earlier stages stored (keyed by stage name; absent when the job started later in
 * the chain or the stage was skipped), and the attempt's model account ({@link ModelUsage}).
 */
public record StageContext(
    UUID jobId,
    String pipeline,
    String jobType,
    String stage,
    int attempt,
    ObjectNode jobPayload,
    Map<String, JsonNode> previousResults,
    ModelUsage usage) {

  /** A context whose model calls are admitted without limit and kept in memory (stages run outside an engine). */
  public StageContext(UUID jobId, String pipeline, String jobType, String stage, int attempt, ObjectNode jobPayload,
      Map<String, JsonNode> previousResults) {
    this(jobId, pipeline, jobType, stage, attempt, jobPayload, previousResults, ModelUsage.unlimited());
  }

  /** The stored result of an earlier stage, or null when that stage did not run. */
  public JsonNode result(String stageName) {
    return previousResults.get(stageName);
  }
}
