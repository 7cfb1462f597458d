package io.planperfect.cli;

import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;

/** The pipelines a standard node runs. */
final class StandardPipelines {
  private StandardPipelines() {}

  static PipelineRegistry all() {
    return new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition()));
  }
}
