package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.EarlierResults;
import io.planperfect.stages.StageModel;

/** One generation job as a late stage sees it: earlier results, computed when a stage did not run. */
final class GenerationJob {
  private final GenerationRequest request;
  private final EarlierResults earlier;
  private final ComponentWriter writer;
  private final TargetPageSource pages;
  private final StageContext context;

  GenerationJob(StageContext context, ComponentWriter writer, TargetPageSource pages) {
    this.context = context;
    this.request = GenerationRequest.of(context.jobPayload());
    this.earlier = new EarlierResults(context.previousResults());
    this.writer = writer;
    this.pages = pages;
  }

  GenerationRequest request() {
    return request;
  }

  JsonNode components() {
    return earlier.get("component-generation", "title", () -> {
      try {
        // why: a later stage writing the components itself writes them offline, so the model's calls
        // stay with component-generation in the ledger
        return new ComponentGenerationStage(StageModel.offline(), writer, pages).result(context);
      } catch (Exception e) {
        throw new IllegalStateException("could not write the page's components: " + e.getMessage(), e);
      }
    });
  }

  JsonNode assembled() {
    return earlier.get("template-assembly", "markdown", () -> TemplateAssemblyStage.build(request, components()));
  }

  /** The quality check's result, or null when the stage was skipped. */
  JsonNode quality() {
    return context.result("quality-validation");
  }

  JsonNode processed() {
    return earlier.get("post-processing", "html", () -> PostProcessingStage.build(request, assembled()));
  }
}
