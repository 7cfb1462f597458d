package io.planperfect.cli;

import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.generation.GenerationPipeline;
import io.planperfect.stages.generation.OfflineComponentWriter;
import io.planperfect.stages.generation.TargetPageSource;
import java.time.Clock;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;

/** The pipelines a standard node runs. */
final class StandardPipelines {
  private StandardPipelines() {}

  static PipelineRegistry all() {
    return new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition(),
        // why explicit: the integrator points these at the guarded fetcher and the shared LLM seam
        GenerationPipeline.definition(TargetPageSource.NOT_CONFIGURED, new OfflineComponentWriter(), Clock.systemUTC())));
  }
}
