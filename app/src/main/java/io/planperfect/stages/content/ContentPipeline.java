package io.planperfect.stages.content;

import io.planperfect.ai.Models;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.stages.ModelStage;
import io.planperfect.stages.StageModel;
import java.util.List;

/**
 * The article pipeline: research, outline, draft, qa, export, complete. The writing stages use the
 * given models (each stage's own choice from its config row, else the node's default), or the
 * offline writer when the choice is {@code offline}.
 */
public final class ContentPipeline {
  private ContentPipeline() {}

  /** The pipeline with the offline writer only (tests, and nodes without a provider). */
  public static PipelineDefinition definition() {
    return definition(Models.offline());
  }

  public static PipelineDefinition definition(Models models) {
    StageModel model = new StageModel(models);
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("research", new ModelStage(new ResearchStage(model))),
        new StageDefinition("outline", new ModelStage(new OutlineStage(model))),
        new StageDefinition("draft", new ModelStage(new DraftStage(model))),
        new StageDefinition("qa", new ModelStage(new QaStage(model))),
        new StageDefinition("export", new ExportStage()),
        new StageDefinition("complete", new CompleteStage())))
        .withIntake(new ArticleIntake());
  }
}
