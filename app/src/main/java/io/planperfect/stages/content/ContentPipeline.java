package io.planperfect.stages.content;

import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import java.util.List;

/** The article pipeline: research, outline, draft, qa, export, complete. */
public final class ContentPipeline {
  private ContentPipeline() {}

  /** Sources are listed, not fetched (tests, and nodes built without a fetcher). */
  public static PipelineDefinition definition() {
    return definition(new ResearchStage());
  }

  /** The research stage reads each source's address through this fetcher. */
  public static PipelineDefinition definition(GuardedFetcher fetcher) {
    return definition(new ResearchStage(new SourceReader(fetcher)));
  }

  private static PipelineDefinition definition(ResearchStage research) {
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("research", research),
        new StageDefinition("outline", new OutlineStage()),
        new StageDefinition("draft", new DraftStage()),
        new StageDefinition("qa", new QaStage()),
        new StageDefinition("export", new ExportStage()),
        new StageDefinition("complete", new CompleteStage())))
        .withIntake(new ArticleIntake());
  }
}
