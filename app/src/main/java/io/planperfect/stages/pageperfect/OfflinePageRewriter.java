package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.List;

/**
 * The rewrite without a model: a plan (add a section per gap, strengthen weakly covered topics, fix the
 * title and meta description when they miss the main keyword) and a drafted section per gap by the
 * built-in offline writer. Deterministic: the same page and keywords give the same draft.
 */
public final class OfflinePageRewriter implements PageRewriter {
  static final int SECTION_WORDS = 160;
  static final double WEAK_MARGIN = 0.15;
  static final int META_LIMIT = 160;

  @Override
  public ObjectNode rewrite(RewriteBrief brief) {
    String title = brief.title().isBlank() ? Text.titleCase(brief.keywords().get(0)) : brief.title();
    OfflineWriter writer = new OfflineWriter(title, brief.keywords(), "neutral", "readers");
    ObjectNode result = Json.object();
    result.put("writer", "offline");
    ArrayNode plan = result.putArray("plan");
    ArrayNode sections = result.putArray("sections");
    StringBuilder markdown = new StringBuilder();
    for (RewriteBrief.Topic gap : brief.gaps()) {
      plan.addObject().put("action", "add_section").put("topic", gap.name())
          .put("reason", "the page covers " + percent(gap.coverage()) + " of this topic (threshold "
              + percent(brief.threshold()) + ")")
          .set("keywords", Json.strings(gap.keywords()));
      String heading = writer.sectionHeading(gap.name());
      List<String> paragraphs = writer.body(gap.name(), SECTION_WORDS);
      ObjectNode section = sections.addObject().put("heading", heading).put("topic", gap.name());
      section.set("paragraphs", Json.strings(paragraphs));
      section.set("keywords", Json.strings(gap.keywords()));
      markdown.append("## ").append(heading).append("\n\n").append(String.join("\n\n", paragraphs)).append("\n\n");
    }
    for (RewriteBrief.Topic topic : brief.covered()) {
      if (topic.coverage() < brief.threshold() + WEAK_MARGIN) {
        plan.addObject().put("action", "strengthen_section").put("topic", topic.name())
            .put("reason", "covered at " + percent(topic.coverage()) + ", close to the threshold")
            .put("section", topic.bestHeading());
      }
    }
    suggestTitleAndMeta(brief, writer, result, plan);
    result.put("markdown", markdown.toString().trim());
    result.put("gap_count", brief.gaps().size());
    return result;
  }

  private static void suggestTitleAndMeta(RewriteBrief brief, OfflineWriter writer, ObjectNode result, ArrayNode plan) {
    String main = brief.keywords().get(0);
    if (!Text.normalise(brief.title()).contains(Text.normalise(main))) {
      String suggested = Text.titleCase(main) + (brief.title().isBlank() ? "" : ": " + brief.title());
      result.put("suggested_title", suggested);
      plan.addObject().put("action", "retitle").put("reason", "the title does not name the main keyword '" + main + "'")
          .put("suggestion", suggested);
    }
    String meta = brief.metaDescription();
    if (meta.isBlank() || meta.length() > META_LIMIT || !Text.normalise(meta).contains(Text.normalise(main))) {
      String suggested = writer.metaDescription();
      result.put("suggested_meta_description", suggested);
      plan.addObject().put("action", "rewrite_meta_description")
          .put("reason", meta.isBlank() ? "the page has no meta description"
              : "the meta description is over " + META_LIMIT + " characters or misses '" + main + "'")
          .put("suggestion", suggested);
    }
  }

  private static String percent(double value) {
    return Math.round(value * 100) + "%";
  }
}
