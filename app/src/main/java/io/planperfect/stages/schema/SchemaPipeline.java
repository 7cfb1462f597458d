package io.planperfect.stages.schema;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import java.util.List;

/** The schema.org markup pipeline: research, generate, validate, complete. */
public final class SchemaPipeline {
  private SchemaPipeline() {}

  public static PipelineDefinition definition() {
    return new PipelineDefinition("schema", "schema", List.of("schema"), List.of(
        new StageDefinition("research", new SchemaResearchStage()),
        new StageDefinition("generate", new SchemaGenerateStage()),
        new StageDefinition("validate", new SchemaValidateStage()),
        new StageDefinition("complete", new SchemaCompleteStage())))
        .withIntake(new SchemaIntake());
  }
}
