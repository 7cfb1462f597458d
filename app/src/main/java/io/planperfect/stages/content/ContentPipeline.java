package io.planperfect.stages.content;

import io.planperfect.ai.Models;
import io.planperfect.fetch.GuardedFetcher;
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
  /** How long a writing stage may keep waiting for its provider: {@link ModelStage#MAX_WAIT}. */
  public static final Duration MODEL_MAX_WAIT = ModelStage.MAX_WAIT;

  private ContentPipeline() {}

  /** The offline writer only; sources listed, not fetched (tests, and nodes built without either). */
  public static PipelineDefinition definition() {
    return definition(Models.offline());
  }

  /** The offline writer; the research stage reads each source's address through this fetcher. */
  public static PipelineDefinition definition(GuardedFetcher fetcher) {
    return definition(Models.offline(), fetcher);
  }

  /** Sources listed, not fetched. */
  public static PipelineDefinition definition(Models models) {
    return definition(models, new ResearchStage(new StageModel(models)));
  }

  /** The writing stages use the models; the research stage reads each source through the fetcher. */
  public static PipelineDefinition definition(Models models, GuardedFetcher fetcher) {
    return definition(models, new ResearchStage(new StageModel(models), new SourceReader(fetcher)));
  }

  private static PipelineDefinition definition(Models models, ResearchStage research) {
    StageModel model = new StageModel(models);
    return new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("research", new ModelStage(research)).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("outline", new ModelStage(new OutlineStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("draft", new ModelStage(new DraftStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("qa", new ModelStage(new QaStage(model))).withMaxWait(MODEL_MAX_WAIT),
        new StageDefinition("export", new ExportStage()),
        new StageDefinition("complete", new CompleteStage())))
        .withIntake(new ArticleIntake());
  }
}
