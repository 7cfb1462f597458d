package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;

/** Puts the components into the page type's template (a resource file): the page as markdown. */
final class TemplateAssemblyStage implements CompletingStage {
  private final ComponentWriter writer;
  private final TargetPageSource pages;

  TemplateAssemblyStage(ComponentWriter writer, TargetPageSource pages) {
    this.writer = writer;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) {
    GenerationJob job = new GenerationJob(context, writer, pages);
    return build(job.request(), job.components());
  }

  static ObjectNode build(GenerationRequest request, JsonNode components) {
    PageComponents parts = PageComponents.fromJson(components);
    String markdown = PageTemplate.render(request.pageType(), request.subject(), parts);
    ObjectNode result = Json.object();
    result.put("template", request.pageType().label());
    result.put("title", parts.title());
    result.put("meta_description", parts.metaDescription());
    result.put("markdown", markdown);
    result.put("word_count", Text.wordCount(markdown.replaceAll("\\[\\[[^]]*]]", "")));
    return result;
  }
}
