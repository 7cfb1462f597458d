package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.writer.Faq;
import io.planperfect.stages.writer.OfflineWriter;
import java.util.List;

/**
 * Plans the article: an introduction, one H2 per keyword with two H3 subsections, a FAQ and a
 * conclusion, each with a word budget; the top-level budgets add up to the requested count.
 */
public final class OutlineStage implements CompletingStage {
  static final String FAQ_HEADING = "Frequently Asked Questions";
  static final String CONCLUSION_HEADING = "Conclusion";
  private static final int WORDS_PER_FAQ_QUESTION = 400;

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    return build(job.inputs(), job.research());
  }

  static ObjectNode build(ArticleInputs inputs, JsonNode research) {
    OfflineWriter writer = inputs.writer();
    int[] parts = WordBudget.split(inputs.wordCount(), 0.10, 0.67, 0.15, 0.08);
    ArrayNode sections = Json.array();
    sections.add(section("intro", 0, null, parts[0]));
    int[] perKeyword = WordBudget.evenly(parts[1], inputs.keywords().size());
    for (int i = 0; i < inputs.keywords().size(); i++) {
      sections.add(keywordSection(inputs.keywords().get(i), i, perKeyword[i], writer, research));
    }
    sections.add(faqSection(inputs.wordCount(), parts[2], writer));
    sections.add(section("conclusion", 2, CONCLUSION_HEADING, parts[3]));

    ObjectNode outline = Json.object();
    outline.put("title", inputs.title());
    outline.put("word_count", inputs.wordCount());
    outline.set("keywords", Json.strings(inputs.keywords()));
    outline.set("sections", sections);
    return outline;
  }

  private static ObjectNode keywordSection(
      String keyword, int index, int words, OfflineWriter writer, JsonNode research) {
    int[] parts = WordBudget.split(words, 0.2, 0.4, 0.4);
    ObjectNode section = section("keyword", 2, suggestedHeading(research, keyword, writer), words);
    section.put("keyword", keyword);
    ArrayNode subsections = section.putArray("subsections");
    List<String> subheadings = writer.subheadings(keyword, index);
    for (int i = 0; i < subheadings.size(); i++) {
      subsections.add(section("subsection", 3, subheadings.get(i), parts[i + 1]).put("keyword", keyword));
    }
    return section;
  }

  private static ObjectNode faqSection(int totalWords, int words, OfflineWriter writer) {
    int count = Math.max(2, Math.min(5, totalWords / WORDS_PER_FAQ_QUESTION));
    List<Faq> questions = writer.faqQuestions(count);
    int[] parts = WordBudget.evenly(words, count);
    ObjectNode section = section("faq", 2, FAQ_HEADING, words);
    ArrayNode subsections = section.putArray("subsections");
    for (int i = 0; i < count; i++) {
      Faq faq = questions.get(i);
      subsections.add(section("question", 3, faq.question(), parts[i])
          .put("keyword", faq.keyword())
          .put("faq_kind", faq.kind()));
    }
    return section;
  }

  /** The heading research suggested for the keyword, or the writer's when research has none. */
  private static String suggestedHeading(JsonNode research, String keyword, OfflineWriter writer) {
    for (JsonNode fact : research.path("keyword_facts")) {
      if (keyword.equals(fact.path("keyword").asText()) && fact.hasNonNull("suggested_heading")) {
        return fact.get("suggested_heading").asText();
      }
    }
    return writer.sectionHeading(keyword);
  }

  private static ObjectNode section(String kind, int level, String heading, int words) {
    ObjectNode section = Json.object();
    section.put("kind", kind);
    section.put("level", level);
    Json.putIfPresent(section, "heading", heading);
    section.put("words", words);
    return section;
  }
}
