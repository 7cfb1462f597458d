package io.planperfect.stages.generation;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import java.time.Clock;
import java.util.List;

/**
 * Seed 004's generation pipeline on queue {@code generation} ({@code job_type: "generation"}):
 * validation → context-building → component-generation → template-assembly → quality-validation
 * (passed over for {@code skipQualityCheck}) → post-processing → storage.
 */
public final class GenerationPipeline {
  public static final String NAME = "generation";

  private GenerationPipeline() {}

  /** The offline writer and no target-page fetcher. */
  public static PipelineDefinition definition() {
    return definition(TargetPageSource.NOT_CONFIGURED, new OfflineComponentWriter(), Clock.systemUTC());
  }

  public static PipelineDefinition definition(TargetPageSource pages, ComponentWriter writer, Clock clock) {
    return new PipelineDefinition(NAME, NAME, List.of(NAME), List.of(
        new StageDefinition("validation", new ValidationStage()),
        new StageDefinition("context-building", new ContextBuildingStage(pages)),
        new StageDefinition("component-generation", new ComponentGenerationStage(writer, pages)),
        new StageDefinition("template-assembly", new TemplateAssemblyStage(writer, pages)),
        new StageDefinition("quality-validation", new QualityValidationStage(writer, pages))
            .skippedWhen(GenerationRequest::skipsQualityCheck),
        new StageDefinition("post-processing", new PostProcessingStage(writer, pages)),
        new StageDefinition("storage", new StorageStage(writer, pages))))
        .withIntake(new GenerationIntake(new GenerationPrioritizer(clock)));
  }
}
