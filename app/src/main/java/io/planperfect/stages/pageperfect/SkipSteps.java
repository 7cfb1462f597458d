package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.StageSkip;

/** Seed 002's {@code skipSteps}: a stage is passed over when the job's payload names it there. */
final class SkipSteps {
  static final String FIELD = "skipSteps";

  private SkipSteps() {}

  static StageSkip naming(String stage) {
    return payload -> {
      for (JsonNode step : payload.path(FIELD)) {
        if (step.asText().equals(stage)) {
          return true;
        }
      }
      return false;
    };
  }
}
