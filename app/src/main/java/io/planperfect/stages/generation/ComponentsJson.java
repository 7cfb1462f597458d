package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.JsonChecks;
import java.util.List;

/**
 * The schema a model's page components must meet ({@code prompts/generation/components.v1.txt}): a
 * title (at most {@link #MAX_TITLE} characters), a meta description (at most {@link #MAX_META}), 1..4
 * intro paragraphs, 1..8 body blocks (a heading and 1..6 paragraphs each) and the page type's number
 * of FAQ entries (a question and an answer each). {@link #problems} names each field that breaks it.
 */
final class ComponentsJson {
  static final int MAX_TITLE = 120;
  static final int MAX_META = 200;
  private static final int MAX_HEADING = 150;
  private static final int MAX_PARAGRAPH = 3_000;

  private ComponentsJson() {}

  static List<String> problems(JsonNode answer, PageType type) {
    JsonChecks checks = new JsonChecks().text(answer, "title", "", MAX_TITLE).text(answer, "meta_description", "", MAX_META);
    paragraphs(checks, answer, "", 1, 4, "intro");
    JsonNode blocks = checks.array(answer, "body_blocks", "", 1, 8);
    for (int i = 0; blocks != null && i < blocks.size(); i++) {
      String path = "body_blocks[" + i + "]";
      if (checks.object(blocks.get(i), path)) {
        checks.text(blocks.get(i), "heading", path + ".", MAX_HEADING);
        paragraphs(checks, blocks.get(i), path + ".", 1, 6, "paragraphs");
      }
    }
    JsonNode faq = checks.array(answer, "faq", "", type.faqCount, type.faqCount);
    for (int i = 0; faq != null && i < faq.size(); i++) {
      String path = "faq[" + i + "]";
      if (checks.object(faq.get(i), path)) {
        checks.text(faq.get(i), "question", path + ".", MAX_HEADING).text(faq.get(i), "answer", path + ".", MAX_PARAGRAPH);
      }
    }
    return checks.problems();
  }

  private static void paragraphs(JsonChecks checks, JsonNode node, String path, int min, int max, String field) {
    JsonNode array = checks.array(node, field, path, min, max);
    checks.texts(array, path + field);
  }
}
