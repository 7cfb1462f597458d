package io.planperfect.stages.generation;

import io.planperfect.ai.Models;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.stages.ModelStage;
import io.planperfect.stages.StageModel;
import java.time.Clock;
import java.util.List;

/**
 * Seed 004's generation pipeline on queue {@code generation} ({@code job_type: "generation"}):
 * validation → context-building → component-generation → template-assembly → quality-validation
 * (passed over for {@code skipQualityCheck}) → post-processing → storage. component-generation writes
 * through the stage's model when one is configured (its config row's provider and model, else the
 * node's default), the offline writer otherwise; a provider's rate limit or 429 makes it wait.
 */
public final class GenerationPipeline {
  public static final String NAME = "generation";

  private GenerationPipeline() {}

  /** The offline writer and no target-page fetcher. */
  public static PipelineDefinition definition() {
    return definition(TargetPageSource.NOT_CONFIGURED, new OfflineComponentWriter(), Clock.systemUTC());
  }

  /** The given writer only, never a model (tests). */
  public static PipelineDefinition definition(TargetPageSource pages, ComponentWriter writer, Clock clock) {
    return definition(Models.offline(), pages, writer, clock);
  }

  /** The models when configured, the offline writer otherwise. */
  public static PipelineDefinition definition(Models models, TargetPageSource pages, Clock clock) {
    return definition(models, pages, new OfflineComponentWriter(), clock);
  }

  /** The models when configured for component-generation, the given writer otherwise. */
  public static PipelineDefinition definition(Models models, TargetPageSource pages, ComponentWriter offline, Clock clock) {
    return new PipelineDefinition(NAME, NAME, List.of(NAME), List.of(
        new StageDefinition("validation", new ValidationStage()),
        new StageDefinition("context-building", new ContextBuildingStage(pages)),
        new StageDefinition("component-generation",
            new ModelStage(new ComponentGenerationStage(new StageModel(models), offline, pages)))
            .withMaxWait(ModelStage.MAX_WAIT),
        new StageDefinition("template-assembly", new TemplateAssemblyStage(offline, pages)),
        new StageDefinition("quality-validation", new QualityValidationStage(offline, pages))
            .skippedWhen(GenerationRequest::skipsQualityCheck),
        new StageDefinition("post-processing", new PostProcessingStage(offline, pages)),
        new StageDefinition("storage", new StorageStage(offline, pages))))
        .withIntake(new GenerationIntake(new GenerationPrioritizer(clock)));
  }
}
