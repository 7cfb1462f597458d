package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.PayloadFields;

/**
 * A PagePerfect job's inputs as its stages read them: the page's address and record id (filled in by
 * intake), target keywords (may be empty: derived from the page), robots.txt choice and the
 * clustering and gap settings (absent: the embedder's defaults).
 */
record PageJob(String url, String pageId, java.util.List<String> keywords, boolean respectRobots, Double eps,
    int minPts, Double gapThreshold) {
  static final int DEFAULT_MIN_PTS = 1;

  static PageJob of(StageContext context) {
    return of(context.jobPayload());
  }

  static PageJob of(JsonNode payload) {
    return new PageJob(PayloadFields.text(payload, "url"), PayloadFields.text(payload, "page_id"),
        Json.textList(payload.get("keywords")), !payload.path("ignoreRobots").asBoolean(false),
        number(payload, "eps"), payload.path("minPts").asInt(DEFAULT_MIN_PTS), number(payload, "gapThreshold"));
  }

  private static Double number(JsonNode payload, String field) {
    JsonNode value = payload.get(field);
    return value == null || !value.isNumber() ? null : value.asDouble();
  }
}
