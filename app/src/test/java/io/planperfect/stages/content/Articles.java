package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Contexts;
import java.util.Map;

/** Article payloads and a shortcut to run one stage of the content pipeline. */
final class Articles {
  private Articles() {}

  static ObjectNode payload(int wordCount) {
    return Contexts.payload("""
        {"title": "Growing Tomatoes on a Small Balcony",
         "keywords": ["container gardening", "tomato varieties", "watering schedule"],
         "domain": "example.com", "tone": "friendly", "audience": "beginners",
         "word_count": %d,
         "sources": [{"url": "https://example.org/tomatoes", "title": "Tomato basics"},
                     "https://example.org/pots", "Tomatoes need six hours of sun."]}
        """.formatted(wordCount));
  }

  static ObjectNode payload() {
    return payload(1200);
  }

  static ObjectNode run(String stage, ObjectNode payload) throws Exception {
    return run(stage, payload, Map.of());
  }

  static ObjectNode run(String stage, ObjectNode payload, Map<String, JsonNode> previous) throws Exception {
    return Contexts.completed(ContentPipeline.definition().handler(stage).run(Contexts.context("content", stage, payload, previous)));
  }

  /** A draft result holding the given markdown, as if the draft stage had stored it. */
  static Map<String, JsonNode> withDraft(String markdown) {
    return Map.of("draft", io.planperfect.stages.Json.object().put("markdown", markdown));
  }
}
