package io.planperfect.stages;

import io.planperfect.ai.ModelFailure;
import io.planperfect.ai.Models;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.ai.TextModel;
import io.planperfect.pipeline.StageContext;
import java.util.Optional;

/**
 * How a stage finds its model: the stage config row's provider and model when set, else the node's
 * default; none (the offline writer) when the choice is {@code offline}.
 */
public final class StageModel {
  private final Models models;

  public StageModel(Models models) {
    this.models = models;
  }

  public static StageModel offline() {
    return new StageModel(Models.offline());
  }

  /**
   * This attempt's model session, or empty when the stage writes offline. A stage whose config names a
   * provider this node has no key for fails for good, naming the variable to set.
   */
  public Optional<ModelSession> open(StageContext context) {
    try {
      Optional<TextModel> model = models.choose(context.usage().stageProvider(), context.usage().stageModel());
      return model.map(m -> new ModelSession(m, context.usage()));
    } catch (ModelFailure rejected) {
      throw new PermanentStageFailure(rejected.getMessage());
    }
  }
}
