package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;

/**
 * Seed 004's buildContext: page type, target keywords, brand voice (with a default), language,
 * product and SEO data from the payload, and the target page from the {@link TargetPageSource}
 * (an unreachable page is recorded and the stage goes on).
 */
final class ContextBuildingStage implements CompletingStage {
  private final TargetPageSource pages;

  ContextBuildingStage(TargetPageSource pages) {
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) {
    return build(GenerationRequest.of(context.jobPayload()), pages);
  }

  static ObjectNode build(GenerationRequest request, TargetPageSource pages) {
    TargetPage page;
    try {
      page = pages.fetch(request.targetUrl());
    } catch (RuntimeException e) {
      page = TargetPage.unreachable(request.targetUrl(), e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    ObjectNode result = Json.object();
    result.put("pageType", request.pageType().label());
    result.set("targetKeywords", Json.strings(request.keywords()));
    result.put("brandVoice", request.brandVoice());
    result.put("language", request.language());
    result.set("productData", request.productData());
    result.set("seoRequirements", request.seoData());
    result.set("targetPage", page.toJson());
    return result;
  }
}
