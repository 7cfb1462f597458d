package io.planperfect.stages.content;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import java.util.List;

/** The article pipeline: research, outline, draft, qa, export, complete. */
public final class ContentPipeline {
  private ContentPipeline() {}

  public static PipelineDefinition definition() {
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("research", new ResearchStage()),
        new StageDefinition("outline", new OutlineStage()),
        new StageDefinition("draft", new DraftStage()),
        new StageDefinition("qa", new QaStage()),
        new StageDefinition("export", new ExportStage()),
        new StageDefinition("complete", new CompleteStage())))
        .withIntake(new ArticleIntake());
  }
}
