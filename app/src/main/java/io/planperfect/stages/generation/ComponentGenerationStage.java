package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;

/** Writes the page's title, meta description, intro, body blocks and FAQ through the {@link ComponentWriter}. */
final class ComponentGenerationStage implements CompletingStage {
  private final ComponentWriter writer;
  private final TargetPageSource pages;

  ComponentGenerationStage(ComponentWriter writer, TargetPageSource pages) {
    this.writer = writer;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) throws Exception {
    GenerationRequest request = GenerationRequest.of(context.jobPayload());
    JsonNode built = context.result("context-building");
    JsonNode pageContext = built != null ? built : ContextBuildingStage.build(request, pages);
    PageBrief brief = new PageBrief(request.pageType(), request.subject(), request.keywords(), request.language(),
        request.brandVoice(), pageContext);
    return writer.write(brief).toJson();
  }
}
