package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.ai.ModelPrompt;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import io.planperfect.stages.StageModel;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
  static final Prompt PROMPT = Prompt.load("content/outline", "v1");
  /** Asks after the first answer when the JSON does not meet the schema, each with the problems fed back. */
  static final int MAX_CORRECTIONS = 2;
  private static final int MAX_TOKENS = 1500;
  private static final List<String> FAQ_KINDS = List.of("start", "time", "worth", "mistakes", "tools");
  private final StageModel model;

  public OutlineStage(StageModel model) {
    this.model = model;
  }

  public OutlineStage() {
    this(StageModel.offline());
  }

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    Optional<ModelSession> session = model.open(context);
    if (session.isEmpty()) {
      return build(job.inputs(), job.research());
    }
    JsonNode planned = askForOutline(session.get(), job);
    ObjectNode outline = fromModel(job.inputs(), planned);
    outline.set("model", session.get().describe(PROMPT.id()));
    return outline;
  }

  /**
   * The model's outline, asked again with the schema's complaints at most {@link #MAX_CORRECTIONS}
   * times; still invalid after that, the attempt fails (and is retried by the stage's policy).
   */
  private static JsonNode askForOutline(ModelSession session, ArticleJob job) {
    ArticleInputs inputs = job.inputs();
    Map<String, String> values = new HashMap<>(Map.of("title", inputs.title(),
        "audience", ContentPrompts.audience(inputs), "tone", ContentPrompts.tone(inputs),
        "word_count", String.valueOf(inputs.wordCount()), "keywords", ContentPrompts.keywords(inputs),
        "notes", String.join("\n", Json.textList(job.research().path("notes")))));
    ModelPrompt prompt = PROMPT.render(values, MAX_TOKENS);
    List<String> problems = List.of();
    for (int ask = 0; ask <= MAX_CORRECTIONS; ask++) {
      ModelSession.Checked answer = session.askChecked(PROMPT.id(), ask == 0 ? prompt : corrected(prompt, problems),
          OutlineJson::problems);
      problems = answer.problems();
      if (problems.isEmpty()) {
        return OutlineJson.parse(answer.answer());
      }
    }
    throw new IllegalStateException("the model's outline did not meet the schema after " + (MAX_CORRECTIONS + 1)
        + " answers: " + String.join("; ", problems));
  }

  private static ModelPrompt corrected(ModelPrompt prompt, List<String> problems) {
    return new ModelPrompt(prompt.system(), prompt.user() + "\n\nYour previous answer was not valid: "
        + String.join("; ", problems) + ". Answer again with the JSON object only.", prompt.maxOutputTokens());
  }

  /** The model's plan in the stored outline's shape, with the word budgets the offline plan uses. */
  static ObjectNode fromModel(ArticleInputs inputs, JsonNode planned) {
    int[] parts = WordBudget.split(inputs.wordCount(), 0.10, 0.67, 0.15, 0.08);
    JsonNode plannedSections = planned.path("sections");
    List<String> questions = Json.textList(planned.path("faq"));
    if (questions.isEmpty()) {
      parts = WordBudget.split(inputs.wordCount(), 0.10, 0.82, 0.0, 0.08);
    }
    ArrayNode sections = Json.array();
    sections.add(section("intro", 0, null, parts[0]));
    int[] perSection = WordBudget.evenly(parts[1], plannedSections.size());
    for (int i = 0; i < plannedSections.size(); i++) {
      JsonNode planned1 = plannedSections.get(i);
      String keyword = planned1.path("keyword").asText("").isBlank()
          ? inputs.keywords().get(i % inputs.keywords().size()) : planned1.get("keyword").asText();
      JsonNode subs = planned1.path("subsections");
      int[] budget = WordBudget.evenly(perSection[i], subs.size() + 1);
      ObjectNode section = section("keyword", 2, planned1.get("heading").asText(), perSection[i])
          .put("keyword", keyword).put("intent", planned1.get("intent").asText());
      ArrayNode subsections = section.putArray("subsections");
      for (int j = 0; j < subs.size(); j++) {
        subsections.add(section("subsection", 3, subs.get(j).get("heading").asText(), budget[j + 1])
            .put("keyword", keyword).put("intent", subs.get(j).get("intent").asText()));
      }
      sections.add(section);
    }
    if (!questions.isEmpty()) {
      ObjectNode faq = section("faq", 2, FAQ_HEADING, parts[2]);
      ArrayNode subsections = faq.putArray("subsections");
      int[] perQuestion = WordBudget.evenly(parts[2], questions.size());
      for (int i = 0; i < questions.size(); i++) {
        subsections.add(section("question", 3, questions.get(i), perQuestion[i])
            .put("keyword", inputs.keywords().get(i % inputs.keywords().size()))
            .put("faq_kind", FAQ_KINDS.get(i % FAQ_KINDS.size())));
      }
      sections.add(faq);
    }
    sections.add(section("conclusion", 2, CONCLUSION_HEADING, parts[3]));
    ObjectNode outline = Json.object();
    outline.put("title", inputs.title());
    outline.put("word_count", inputs.wordCount());
    outline.set("keywords", Json.strings(inputs.keywords()));
    outline.set("sections", sections);
    return outline;
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
