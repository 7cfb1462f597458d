package io.planperfect.cli;

import io.planperfect.config.EnvReader;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.ai.Models;
import io.planperfect.config.LlmSettings;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.pageperfect.Embedders;
import io.planperfect.stages.pageperfect.PagePerfectPipeline;
import io.planperfect.stages.generation.GenerationPipeline;
import io.planperfect.stages.generation.FetchedTargetPages;
import java.time.Clock;
import io.planperfect.stages.schema.SchemaPipeline;
import java.util.List;
import java.util.Map;

/**
 * The pipelines a standard node runs: their writing stages given the models of the environment
 * ({@code PLANPERFECT_LLM_PROVIDER} and the providers' keys; offline when unset; a provider named
 * without its key refuses to start, naming the variable), the one guarded fetcher of the node (its
 * limits and allow list from {@code PLANPERFECT_FETCH_*}) and PagePerfect's embedder
 * ({@code PLANPERFECT_EMBEDDINGS}).
 */
final class StandardPipelines {
  private StandardPipelines() {}

  static PipelineRegistry all() {
    return all(System.getenv());
  }

  static PipelineRegistry all(Map<String, String> environment) {
    EnvReader env = new EnvReader(environment);
    Models models = new Models(LlmSettings.fromEnvironment(environment));
    GuardedFetcher fetcher = new GuardedFetcher(FetchPolicy.from(env));
    return new PipelineRegistry(List.of(
        ContentPipeline.definition(models, fetcher),
        SchemaPipeline.definition(models),
        PagePerfectPipeline.definition(models, fetcher, Embedders.choose(env.optional("PLANPERFECT_EMBEDDINGS").orElse(null))),
        GenerationPipeline.definition(models, new FetchedTargetPages(fetcher), Clock.systemUTC())));
  }
}
