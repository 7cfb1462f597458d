package io.planperfect.dispatch;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Stage configs in the order a job meets them: by pipeline (queue), then by the stage's position; unknown stages last. */
final class StageOrder {
  private StageOrder() {}

  static List<StageConfig> sorted(List<StageConfig> configs, PipelineRegistry pipelines) {
    List<StageConfig> ordered = new ArrayList<>(configs);
    ordered.sort(Comparator.comparing(StageConfig::queue)
        .thenComparingInt((StageConfig c) -> position(pipelines, c))
        .thenComparing(StageConfig::stage));
    return ordered;
  }

  private static int position(PipelineRegistry pipelines, StageConfig config) {
    return pipelines.all().stream().filter(p -> p.queue().equals(config.queue()) && p.hasStage(config.stage()))
        .findFirst().map((PipelineDefinition p) -> p.positionOf(config.stage())).orElse(Integer.MAX_VALUE);
  }
}
