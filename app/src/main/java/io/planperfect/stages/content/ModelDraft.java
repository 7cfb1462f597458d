package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.ai.ModelPrompt;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an outline's sections with a model, one call per top-level section
 * ({@code prompts/content/draft.v1.txt}). A section whose length is off its budget by more than
 * {@link QaStage#WORD_COUNT_TOLERANCE} is asked for once more with its length fed back, so the whole
 * lands within the requested word count's ±15%. Feedback (QA findings for a redraft) goes to every call.
 */
final class ModelDraft {
  static final Prompt PROMPT = Prompt.load("content/draft", "v1");
  /** Budgets below this are too short for their length to be worth a second call. */
  private static final int MIN_CHECKED_WORDS = 60;

  private final ArticleInputs inputs;
  private final ModelSession session;
  private final String feedback;

  ModelDraft(ArticleInputs inputs, ModelSession session, String feedback) {
    this.inputs = inputs;
    this.session = session;
    this.feedback = feedback;
  }

  ObjectNode compose(JsonNode outline) {
    StringBuilder markdown = new StringBuilder("# ").append(outline.path("title").asText(inputs.title())).append("\n\n");
    List<String> written = new ArrayList<>();
    for (JsonNode section : outline.path("sections")) {
      String heading = section.path("heading").asText(section.path("kind").asText().equals("intro") ? "" : "Section");
      if (!heading.isEmpty()) {
        markdown.append("## ").append(heading).append("\n\n");
      }
      markdown.append(writeSection(section, written)).append("\n\n");
      written.add(heading.isEmpty() ? "Introduction" : heading);
    }
    String text = markdown.toString().stripTrailing() + "\n";
    ObjectNode draft = Json.object();
    draft.put("markdown", text);
    draft.put("word_count", Text.wordCount(text));
    draft.put("target_word_count", inputs.wordCount());
    draft.set("headings", headings(text));
    draft.put("meta_description", inputs.writer().metaDescription());
    draft.set("model", session.describe(PROMPT.id()));
    return draft;
  }

  private String writeSection(JsonNode section, List<String> written) {
    int words = section.path("words").asInt();
    ModelPrompt prompt = PROMPT.render(values(section, words, written), Math.max(256, words * 2 + 200));
    String body = clean(session.ask(PROMPT.id(), prompt));
    int actual = Text.wordCount(body);
    if (words >= MIN_CHECKED_WORDS && Math.abs(actual - words) > words * QaStage.WORD_COUNT_TOLERANCE) {
      ModelPrompt again = new ModelPrompt(prompt.system(), prompt.user() + "\n\nYour previous version had " + actual
          + " words; this section needs about " + words + ". Write it again at that length.", prompt.maxOutputTokens());
      body = clean(session.ask(PROMPT.id(), again));
    }
    return body;
  }

  private Map<String, String> values(JsonNode section, int words, List<String> written) {
    Map<String, String> values = new HashMap<>();
    String kind = section.path("kind").asText();
    values.put("title", inputs.title());
    values.put("tone", ContentPrompts.tone(inputs));
    values.put("audience", ContentPrompts.audience(inputs));
    values.put("keywords", ContentPrompts.keywords(inputs));
    values.put("heading", section.path("heading").asText(kind.equals("intro") ? "Introduction (no heading)" : kind));
    values.put("intent", section.path("intent").asText(switch (kind) {
      case "intro" -> "open the article: what it covers and why it matters to the reader";
      case "conclusion" -> "close the article: the main points and a next step";
      case "faq" -> "answer each question directly, under its question as the H3";
      default -> "cover " + section.path("keyword").asText(inputs.keywords().get(0));
    }));
    values.put("words", String.valueOf(words));
    values.put("min_words", String.valueOf(Math.round(words * (1 - QaStage.WORD_COUNT_TOLERANCE))));
    values.put("max_words", String.valueOf(Math.round(words * (1 + QaStage.WORD_COUNT_TOLERANCE))));
    StringBuilder subsections = new StringBuilder();
    for (JsonNode sub : section.path("subsections")) {
      subsections.append("- ### ").append(sub.path("heading").asText()).append(" (about ")
          .append(sub.path("words").asInt()).append(" words)");
      if (sub.hasNonNull("intent")) {
        subsections.append(": ").append(sub.get("intent").asText());
      }
      subsections.append('\n');
    }
    values.put("subsections", subsections.length() == 0 ? "(none)" : subsections.toString().strip());
    values.put("written", written.isEmpty() ? "(none yet)" : String.join("; ", written));
    values.put("feedback", feedback == null ? "" : "An editor reviewed an earlier draft and found: " + feedback
        + "\nFix these problems in this section.");
    return values;
  }

  /** The answer without a heading of the section's own or a code fence around it. */
  private static String clean(String answer) {
    String text = answer.strip();
    if (text.startsWith("```")) {
      text = text.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    }
    return text.replaceFirst("^#{1,2} [^\n]*\n+", "").strip();
  }

  private static ArrayNode headings(String markdown) {
    ArrayNode headings = Json.array();
    for (String line : markdown.split("\n")) {
      int level = 0;
      while (level < line.length() && line.charAt(level) == '#') {
        level++;
      }
      if (level > 0 && level <= 6 && line.length() > level && line.charAt(level) == ' ') {
        headings.addObject().put("level", level).put("text", line.substring(level + 1).strip());
      }
    }
    return headings;
  }
}
