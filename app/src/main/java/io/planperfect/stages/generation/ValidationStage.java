package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;

/**
 * Checks the job's inputs again at the start of the chain (a job may come from a queue send, a
 * replay, or a payload changed by hand): a bad field is permanent, so the job goes to the dead
 * letters with the reason at once, never retried.
 */
final class ValidationStage implements CompletingStage {
  @Override
  public ObjectNode result(StageContext context) {
    try {
      GenerationIntake.check(context.jobPayload().deepCopy());
    } catch (InvalidField e) {
      throw new PermanentStageFailure("validation failed: " + e.getMessage());
    }
    GenerationRequest request = GenerationRequest.of(context.jobPayload());
    return Json.object().put("valid", true).put("page_type", request.pageType().label())
        .put("language", request.language()).put("keywords", request.keywords().size());
  }
}
