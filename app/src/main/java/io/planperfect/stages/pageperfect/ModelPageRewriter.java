package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.ai.ModelPrompt;
import io.planperfect.stages.Json;
import io.planperfect.stages.JsonAnswer;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The rewrite written by the attempt's model ({@code prompts/pageperfect/rewrite.v1.txt}): the plan and
 * one drafted section per gap, its JSON answer checked by {@link RewriteJson} and asked again with the
 * problems fed back at most {@link #MAX_CORRECTIONS} times. The result has the offline writer's shape.
 */
final class ModelPageRewriter implements PageRewriter {
  static final Prompt PROMPT = Prompt.load("pageperfect/rewrite", "v1");
  static final int MAX_CORRECTIONS = 2;
  private static final int MAX_TOKENS = 3000;

  private final ModelSession session;

  ModelPageRewriter(ModelSession session) {
    this.session = session;
  }

  @Override
  public ObjectNode rewrite(RewriteBrief brief) {
    ModelPrompt prompt = PROMPT.render(values(brief), MAX_TOKENS);
    JsonNode answer = JsonAnswer.ask(session, PROMPT.id(), prompt, json -> RewriteJson.problems(json, brief),
        MAX_CORRECTIONS, "the rewrite");
    ObjectNode result = Json.object().put("writer", "model");
    ArrayNode plan = result.putArray("plan");
    answer.path("plan").forEach(step -> plan.add(step.deepCopy()));
    ArrayNode sections = result.putArray("sections");
    StringBuilder markdown = new StringBuilder();
    for (RewriteBrief.Topic gap : brief.gaps()) {
      JsonNode written = RewriteJson.sectionFor(answer, gap.name());
      List<String> paragraphs = Json.textList(written.path("paragraphs")).stream().map(String::strip).toList();
      String heading = written.path("heading").asText().strip();
      ObjectNode section = sections.addObject().put("heading", heading).put("topic", gap.name());
      section.set("paragraphs", Json.strings(paragraphs));
      section.set("keywords", Json.strings(gap.keywords()));
      markdown.append("## ").append(heading).append("\n\n").append(String.join("\n\n", paragraphs)).append("\n\n");
    }
    for (String field : List.of("suggested_title", "suggested_meta_description")) {
      if (answer.path(field).isTextual() && !answer.path(field).asText().isBlank()) {
        result.put(field, answer.path(field).asText().strip());
      }
    }
    result.put("markdown", markdown.toString().trim());
    result.put("gap_count", brief.gaps().size());
    return result;
  }

  private static Map<String, String> values(RewriteBrief brief) {
    return Map.of("url", brief.url(), "title", orNone(brief.title()), "meta_description", orNone(brief.metaDescription()),
        "headings", brief.headings().isEmpty() ? "none" : brief.headings().stream().map(h -> "- " + h).collect(Collectors.joining("\n")),
        "keywords", String.join(", ", brief.keywords()),
        "threshold", percent(brief.threshold()), "section_words", String.valueOf(OfflinePageRewriter.SECTION_WORDS),
        "gaps", topics(brief.gaps()), "covered", topics(brief.covered()));
  }

  private static String topics(List<RewriteBrief.Topic> topics) {
    if (topics.isEmpty()) {
      return "none";
    }
    return topics.stream().map(t -> "- " + t.name() + " (keywords: " + String.join(", ", t.keywords()) + "; coverage "
        + percent(t.coverage()) + ")").collect(Collectors.joining("\n"));
  }

  private static String orNone(String text) {
    return text.isBlank() ? "none" : text;
  }

  private static String percent(double value) {
    return Math.round(value * 100) + "%";
  }
}
