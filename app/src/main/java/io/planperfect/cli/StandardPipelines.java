package io.planperfect.cli;

import io.planperfect.engine.Pipelines;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;

/** The pipelines a standard node runs. */
final class StandardPipelines {
  private StandardPipelines() {}

  static Pipelines all() {
    return new Pipelines(List.of(ContentPipeline.definition(), SchemaPipeline.definition()));
  }
}
