package io.planperfect.stages;

import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageOutcome;

/** A completing stage that may call a model: a {@link ModelWait} becomes {@code RetryLater}. */
public record ModelStage(CompletingStage stage) implements StageHandler {
  @Override
  public StageOutcome run(StageContext context) throws Exception {
    try {
      return StageOutcome.completed(stage.result(context));
    } catch (ModelWait wait) {
      return StageOutcome.retryLater(wait.delay(), wait.getMessage());
    }
  }
}
