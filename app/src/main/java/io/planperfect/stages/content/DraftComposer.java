package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import io.planperfect.stages.writer.Faq;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.List;

/**
 * Writes the markdown for an outline. Each block aims at the running total of the budgets so
 * far rather than at its own budget alone, so rounding in one section is made up in the next.
 */
final class DraftComposer {
  private final ArticleInputs inputs;
  private final OfflineWriter writer;
  private final StringBuilder markdown = new StringBuilder();
  private final ArrayNode headings = Json.array();
  private int written;
  private int planned;

  DraftComposer(ArticleInputs inputs) {
    this.inputs = inputs;
    this.writer = inputs.writer();
  }

  ObjectNode compose(JsonNode outline) {
    heading(1, outline.path("title").asText(inputs.title()));
    for (JsonNode section : outline.path("sections")) {
      writeSection(section);
    }
    ObjectNode draft = Json.object();
    String text = markdown.toString().stripTrailing() + "\n";
    draft.put("markdown", text);
    draft.put("word_count", Text.wordCount(text));
    draft.put("target_word_count", inputs.wordCount());
    draft.set("headings", headings);
    draft.put("meta_description", writer.metaDescription());
    return draft;
  }

  private void writeSection(JsonNode section) {
    String kind = section.path("kind").asText();
    String keyword = section.path("keyword").asText(inputs.keywords().get(0));
    int words = section.path("words").asInt();
    if (section.hasNonNull("heading")) {
      heading(section.path("level").asInt(2), section.get("heading").asText());
    }
    int lead = words - subsectionWords(section);
    switch (kind) {
      case "intro" -> paragraphs(writer.intro(target(lead)));
      case "conclusion" -> paragraphs(writer.conclusion(target(lead)));
      case "faq" -> planned += lead;
      default -> {
        int remaining = target(lead);
        // why: an H2 may go straight into its first H3 when earlier sections ran long.
        if (remaining > 0) {
          paragraphs(writer.body(keyword, remaining));
        }
      }
    }
    for (JsonNode subsection : section.path("subsections")) {
      writeSubsection(subsection, keyword);
    }
  }

  private void writeSubsection(JsonNode subsection, String sectionKeyword) {
    String heading = subsection.path("heading").asText();
    String keyword = subsection.path("keyword").asText(sectionKeyword);
    heading(subsection.path("level").asInt(3), heading);
    int budget = target(subsection.path("words").asInt());
    if (subsection.has("faq_kind")) {
      paragraphs(writer.faqAnswer(new Faq(subsection.get("faq_kind").asText(), keyword, heading), budget));
    } else {
      paragraphs(writer.body(keyword, budget));
    }
  }

  private static int subsectionWords(JsonNode section) {
    int sum = 0;
    for (JsonNode subsection : section.path("subsections")) {
      sum += subsection.path("words").asInt();
    }
    return sum;
  }

  /** Adds a budget to the plan and returns how many words are still to write to meet it. */
  private int target(int budget) {
    planned += budget;
    return planned - written;
  }

  private void heading(int level, String text) {
    markdown.append("#".repeat(level)).append(' ').append(text).append("\n\n");
    headings.addObject().put("level", level).put("text", text);
    written += Text.wordCount(text);
  }

  private void paragraphs(List<String> paragraphs) {
    for (String paragraph : paragraphs) {
      markdown.append(paragraph).append("\n\n");
      written += Text.wordCount(paragraph);
    }
  }
}
