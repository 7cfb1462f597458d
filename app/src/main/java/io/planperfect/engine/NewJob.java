package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/** A validated request for a job: which pipeline, its inputs, and where in the chain to start. */
public record NewJob(
    PipelineDefinition pipeline,
    String jobType,
    String requesterEmail,
    ObjectNode payload,
    String initialStage,
    int priority) {

  public NewJob {
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(payload, "payload");
    if (!pipeline.hasStage(initialStage)) {
      throw new IllegalArgumentException("pipeline " + pipeline.name() + " has no stage " + initialStage);
    }
  }
}
