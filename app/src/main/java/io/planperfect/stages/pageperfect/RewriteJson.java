package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.JsonChecks;
import java.util.List;
import java.util.Set;

/**
 * The schema a model's rewrite must meet ({@code prompts/pageperfect/rewrite.v1.txt}): 1..20
 * {@code plan} steps (a known action and a reason each), one {@code sections} entry per gap named by its
 * topic (a heading and 1..6 paragraphs), optional suggested title and meta description (at most
 * {@link #MAX_META} characters). {@link #problems} names each field that breaks it.
 */
final class RewriteJson {
  static final Set<String> ACTIONS = Set.of("add_section", "strengthen_section", "retitle", "rewrite_meta_description");
  static final int MAX_META = 200;
  private static final int MAX_HEADING = 150;
  private static final int MAX_TEXT = 3_000;

  private RewriteJson() {}

  static List<String> problems(JsonNode answer, RewriteBrief brief) {
    JsonChecks checks = new JsonChecks();
    JsonNode plan = checks.array(answer, "plan", "", 1, 20);
    for (int i = 0; plan != null && i < plan.size(); i++) {
      String path = "plan[" + i + "]";
      if (checks.object(plan.get(i), path)) {
        checks.text(plan.get(i), "reason", path + ".", MAX_TEXT);
        if (!ACTIONS.contains(plan.get(i).path("action").asText())) {
          checks.add(path + ".action must be one of " + ACTIONS.stream().sorted().toList());
        }
      }
    }
    JsonNode sections = checks.array(answer, "sections", "", 0, 20);
    for (int i = 0; sections != null && i < sections.size(); i++) {
      String path = "sections[" + i + "]";
      if (checks.object(sections.get(i), path)) {
        checks.text(sections.get(i), "topic", path + ".", MAX_HEADING).text(sections.get(i), "heading", path + ".", MAX_HEADING);
        checks.texts(checks.array(sections.get(i), "paragraphs", path + ".", 1, 6), path + ".paragraphs");
      }
    }
    for (RewriteBrief.Topic gap : brief.gaps()) {
      if (sections != null && sectionFor(answer, gap.name()).isMissingNode()) {
        checks.add("sections has no entry for the missing topic '" + gap.name() + "'");
      }
    }
    if (answer.hasNonNull("suggested_title")) {
      checks.text(answer, "suggested_title", "", MAX_HEADING);
    }
    if (answer.hasNonNull("suggested_meta_description")) {
      checks.text(answer, "suggested_meta_description", "", MAX_META);
    }
    return checks.problems();
  }

  /** The answer's section for the topic (names compared without case), or a missing node. */
  static JsonNode sectionFor(JsonNode answer, String topic) {
    for (JsonNode section : answer.path("sections")) {
      if (section.path("topic").asText().strip().equalsIgnoreCase(topic.strip())) {
        return section;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
