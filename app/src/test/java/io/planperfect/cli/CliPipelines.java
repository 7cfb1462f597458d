package io.planperfect.cli;

import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;
import java.util.Map;

/**
 * The pipelines the CLI's tests run: the real schema pipeline (offline writer), and "work", one stage
 * whose payload's {@code mode} decides: {@code ok} completes, {@code fail} is dead-lettered at once.
 */
final class CliPipelines {
  static final String FAILURE = "failing on purpose";

  private CliPipelines() {}

  static PipelineRegistry registry() {
    PipelineDefinition work = new PipelineDefinition("work", "content", List.of("work"), List.of(
        new StageDefinition("research", context -> {
          if (context.jobPayload().path("mode").asText("ok").equals("fail")) {
            throw new PermanentStageFailure(FAILURE);
          }
          return StageOutcome.completed(Json.object().put("done", true));
        })));
    return new PipelineRegistry(List.of(work, SchemaPipeline.definition(new Models(LlmSettings.fromEnvironment(Map.of())))));
  }
}
