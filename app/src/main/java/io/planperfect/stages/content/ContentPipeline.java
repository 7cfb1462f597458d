package io.planperfect.stages.content;

import io.planperfect.ai.Models;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.stages.ModelStage;
import io.planperfect.stages.StageModel;
import java.time.Duration;
import java.util.List;

/**
 * The article pipeline: research, outline, draft, qa, export, complete. The writing stages use the
 * given models (each stage's own choice from its config row, else the node's default), or the
 * offline writer when the choice is {@code offline}.
 */
public final class ContentPipeline {
  /**
   * How long a writing stage may keep waiting for its provider (a rate limit, a 429, a 5xx, the daily
   * budget) before the attempt fails: past the next UTC midnight, so a spent daily budget is waited out.
   */
  public static final Duration MODEL_MAX_WAIT = Duration.ofHours(26);

  private ContentPipeline() {}

  /** The pipeline with the offline writer only (tests, and nodes without a provider). */
  public static PipelineDefinition definition() {
    return definition(Models.offline());
  }

  public static PipelineDefinition definition(Models models) {
    StageModel model = new StageModel(models);
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("research", new ModelStage(new ResearchStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("outline", new ModelStage(new OutlineStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("draft", new ModelStage(new DraftStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("qa", new ModelStage(new QaStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("export", new ExportStage()),
        new StageDefinition("complete", new CompleteStage())))
        .withIntake(new ArticleIntake());
  }
}
