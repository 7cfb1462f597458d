package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;

/**
 * The page record the API and the UI read: this stage's result, stored by the engine in the
 * transaction that completes the stage, is the row of the {@code generated_pages} view.
 */
final class StorageStage implements CompletingStage {
  private final ComponentWriter writer;
  private final TargetPageSource pages;

  StorageStage(ComponentWriter writer, TargetPageSource pages) {
    this.writer = writer;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) {
    GenerationJob job = new GenerationJob(context, writer, pages);
    GenerationRequest request = job.request();
    JsonNode processed = job.processed();
    JsonNode assembled = job.assembled();
    ObjectNode page = Json.object();
    page.put("page_id", context.jobId().toString());
    page.put("page_type", request.pageType().label());
    page.put("target_url", request.targetUrl());
    page.put("language", request.language());
    page.put("slug", processed.path("slug").asText());
    page.put("title", assembled.path("title").asText());
    page.put("meta_description", assembled.path("meta_description").asText());
    page.put("markdown", processed.path("markdown").asText());
    page.put("html", processed.path("html").asText());
    page.set("json_ld", processed.path("json_ld"));
    page.set("internal_links", processed.path("internal_links"));
    page.set("quality", job.quality() == null ? null : job.quality());
    page.put("word_count", Text.wordCount(assembled.path("markdown").asText().replaceAll("\\[\\[[^]]*]]", "")));
    return page;
  }
}
