package io.planperfect.stages;

import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.StageHandler;
import io.planperfect.pipeline.StageOutcome;
import java.time.Duration;

/** A completing stage that may call a model: a {@link ModelWait} becomes {@code RetryLater}. */
public record ModelStage(CompletingStage stage) implements StageHandler {
  /**
   * How long a stage that calls a model may keep waiting for its provider (a rate limit, a 429, a 5xx,
   * the daily budget) before the attempt fails: past the next UTC midnight, so a spent daily budget is
   * waited out. Give it to the stage's definition ({@code withMaxWait}).
   */
  public static final Duration MAX_WAIT = Duration.ofHours(26);

  @Override
  public StageOutcome run(StageContext context) throws Exception {
    try {
      return StageOutcome.completed(stage.result(context));
    } catch (ModelWait wait) {
      return StageOutcome.retryLater(wait.delay(), wait.getMessage());
    }
  }
}
