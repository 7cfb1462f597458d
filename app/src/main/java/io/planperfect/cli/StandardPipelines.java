package io.planperfect.cli;

import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;
import java.util.Map;

/**
 * The pipelines a standard node runs, their writing stages given the models of the environment
 * ({@code PLANPERFECT_LLM_PROVIDER} and the providers' keys; offline when unset). A provider named
 * without its key refuses to start, naming the variable.
 */
final class StandardPipelines {
  private StandardPipelines() {}

  static PipelineRegistry all() {
    return all(System.getenv());
  }

  static PipelineRegistry all(Map<String, String> env) {
    Models models = new Models(LlmSettings.fromEnvironment(env));
    return new PipelineRegistry(List.of(ContentPipeline.definition(models), SchemaPipeline.definition(models)));
  }
}
