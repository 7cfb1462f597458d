package io.planperfect.stages.schema;

import io.planperfect.ai.Models;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.stages.ModelStage;
import io.planperfect.stages.StageModel;
import io.planperfect.pipeline.StageDefinition;
import java.util.List;

/** The schema.org markup pipeline: research, generate, validate, complete. */
public final class SchemaPipeline {
  private SchemaPipeline() {}

  public static PipelineDefinition definition() {
    return definition(Models.offline());
  }

  /** The pipeline whose generate stage answers FAQ questions with the given models (offline when none). */
  public static PipelineDefinition definition(Models models) {
    return new PipelineDefinition("schema", "schema", List.of("schema"), List.of(
        new StageDefinition("research", new SchemaResearchStage()),
        new StageDefinition("generate", new ModelStage(new SchemaGenerateStage(new StageModel(models))))
            .withMaxWait(io.planperfect.stages.content.ContentPipeline.MODEL_MAX_WAIT),
        new StageDefinition("validate", new SchemaValidateStage()),
        new StageDefinition("complete", new SchemaCompleteStage())))
        .withIntake(new SchemaIntake());
  }
}
