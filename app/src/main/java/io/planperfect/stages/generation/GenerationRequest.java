package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import java.util.List;

/** A generation job's inputs as the stages read them (the payload intake checked and completed). */
record GenerationRequest(PageType pageType, String targetUrl, List<String> keywords, String language,
    String brandVoice, String projectId, JsonNode productData, JsonNode seoData, JsonNode metadata) {

  static GenerationRequest of(JsonNode payload) {
    return new GenerationRequest(
        PageType.parse(payload.path("pageType").asText("")).orElse(PageType.LANDING),
        payload.path("targetUrl").asText(""),
        Json.textList(payload.path("keywords")),
        payload.path("language").asText(GenerationIntake.DEFAULT_LANGUAGE),
        payload.hasNonNull("brandVoice") ? payload.get("brandVoice").asText() : GenerationIntake.DEFAULT_BRAND_VOICE,
        payload.path("projectId").asText(null),
        payload.hasNonNull("productData") ? payload.get("productData") : Json.object(),
        payload.hasNonNull("seoData") ? payload.get("seoData") : Json.object(),
        payload.hasNonNull("metadata") ? payload.get("metadata") : Json.object());
  }

  /** True when the job asks to pass the quality check over (seed 004's options.skipQualityCheck, or at the top). */
  static boolean skipsQualityCheck(ObjectNode payload) {
    return payload.path("skipQualityCheck").asBoolean(false)
        || payload.path("options").path("skipQualityCheck").asBoolean(false);
  }

  /** What the page is about first: the product's name when given, else the first keyword. */
  String subject() {
    String name = productData.path("name").asText("");
    return name.isBlank() ? keywords.get(0) : name;
  }
}
