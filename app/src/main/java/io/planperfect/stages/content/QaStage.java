package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.Prompt;
import io.planperfect.stages.StageModel;
import java.util.Optional;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the draft against the brief: word count, keyword coverage, headings, readability, repeated
 * and near-duplicate sentences, banned phrases, and with a model its review
 * ({@code prompts/content/qa.v1.txt}). A failed check follows the job's {@code qa_policy}
 * ({@link QaPolicy}): {@code continue} records it with passed=false and goes on; {@code fail}
 * dead-letters the job; {@code redraft} writes the draft once more with the findings in the prompt,
 * stores it in this result ({@code draft}, which export then uses) and fails the job if QA still fails.
 * The job's {@code qa_policy} comes first, then the stage's ({@code content_stage_config.qa_policy}).
 */
public final class QaStage implements CompletingStage {
  static final double WORD_COUNT_TOLERANCE = 0.15;
  static final double MIN_READING_EASE = 30.0;
  static final Prompt PROMPT = Prompt.load("content/qa", "v1");
  private static final int REVIEW_TOKENS = 600;
  private static final int MAX_REVIEWED_CHARS = 60_000;
  private final StageModel model;

  public QaStage(StageModel model) {
    this.model = model;
  }

  public QaStage() {
    this(StageModel.offline());
  }

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    ArticleInputs inputs = job.inputs();
    Optional<ModelSession> session = model.open(context);
    ObjectNode result = checked(inputs, job.draft(), session);
    if (result.path("passed").asBoolean()) {
      return result;
    }
    QaPolicy policy = QaPolicy.of(Optional.ofNullable(inputs.qaPolicy()).or(() -> context.usage().stageQaPolicy())
        .orElse(null), session.isPresent());
    result.put("policy", policy.label());
    switch (policy) {
      case CONTINUE -> {
        return result;
      }
      case FAIL -> throw new PermanentStageFailure("QA failed (qa_policy=fail): " + findings(result));
      default -> {
        if (session.isEmpty()) {
          throw new PermanentStageFailure("QA failed (qa_policy=redraft, but no model is configured to redraft): "
              + findings(result));
        }
        ObjectNode redraft = new ModelDraft(inputs, session.get(), findings(result)).compose(job.outline());
        ObjectNode again = checked(inputs, redraft, session);
        if (!again.path("passed").asBoolean()) {
          throw new PermanentStageFailure("QA failed after one redraft: " + findings(again));
        }
        again.put("policy", policy.label());
        again.set("first_review", result);
        again.set("draft", redraft);
        return again;
      }
    }
  }

  private static ObjectNode checked(ArticleInputs inputs, JsonNode draft, Optional<ModelSession> session) {
    ObjectNode result = build(inputs, draft);
    session.ifPresent(s -> review(s, inputs, draft, result));
    return result;
  }

  /** The model's review as one more check. An answer that is not the JSON asked for is noted and not held against the draft. */
  private static void review(ModelSession session, ArticleInputs inputs, JsonNode draft, ObjectNode result) {
    String markdown = draft.path("markdown").asText();
    String answer = session.ask(PROMPT.id(), PROMPT.render(Map.of("title", inputs.title(),
        "audience", ContentPrompts.audience(inputs), "tone", ContentPrompts.tone(inputs),
        "keywords", ContentPrompts.keywords(inputs),
        "markdown", markdown.length() > MAX_REVIEWED_CHARS ? markdown.substring(0, MAX_REVIEWED_CHARS) : markdown),
        REVIEW_TOKENS));
    JsonNode review = OutlineJson.parse(answer);
    ArrayNode checks = (ArrayNode) result.get("checks");
    if (review == null || !review.path("passed").isBoolean()) {
      check(checks, "model_review", true, "the review's answer was not the JSON asked for; ignored",
          Json.object().put("answer", answer.length() > 500 ? answer.substring(0, 500) : answer));
    } else {
      List<String> findings = Json.textList(review.path("findings"));
      check(checks, "model_review", review.get("passed").asBoolean(),
          findings.isEmpty() ? "no findings" : String.join("; ", findings), Json.strings(findings));
    }
    result.put("passed", allPassed(checks));
    result.set("model", session.describe(PROMPT.id()));
  }

  /** The failed checks' details, for a redraft prompt or a failure's reason. */
  static String findings(JsonNode result) {
    List<String> failed = new ArrayList<>();
    for (JsonNode check : result.path("checks")) {
      if (!check.path("passed").asBoolean()) {
        failed.add(check.path("name").asText() + ": " + check.path("detail").asText());
      }
    }
    return String.join("; ", failed);
  }

  static ObjectNode build(ArticleInputs inputs, JsonNode draft) {
    String markdown = draft.path("markdown").asText();
    MarkdownDoc doc = MarkdownDoc.parse(markdown);
    int words = Text.wordCount(markdown);
    ObjectNode coverage = KeywordCoverage.measure(markdown, inputs.keywords());
    double readingEase = Readability.fleschReadingEase(doc.sentences());
    List<String> repeated = repeatedSentences(doc.sentences());
    List<String> banned = BannedPhrases.found(markdown, inputs.bannedPhrases());

    ArrayNode checks = Json.array();
    wordCountCheck(checks, words, inputs.wordCount());
    List<String> missing = Json.textList(coverage.path("missing"));
    check(checks, "keyword_coverage", missing.isEmpty(),
        missing.isEmpty() ? "all keywords present" : "missing keywords: " + String.join(", ", missing),
        coverage.path("ratio"));
    headingsCheck(checks, doc);
    check(checks, "readability", readingEase >= MIN_READING_EASE,
        "Flesch reading ease " + readingEase + " (minimum " + MIN_READING_EASE + ")",
        Json.object().put("flesch_reading_ease", readingEase));
    check(checks, "repeated_sentences", repeated.isEmpty(),
        repeated.size() + " sentence(s) appear more than once", Json.strings(repeated));
    List<List<String>> similar = NearDuplicates.pairs(doc.sentences());
    ArrayNode similarPairs = Json.array();
    similar.forEach(pair -> similarPairs.add(Json.strings(pair)));
    check(checks, "near_duplicate_sentences", similar.isEmpty(),
        similar.size() + " pair(s) of sentences say nearly the same thing", similarPairs);
    check(checks, "banned_phrases", banned.isEmpty(),
        banned.size() + " banned phrase(s) found", Json.strings(banned));

    ObjectNode result = Json.object();
    result.put("passed", allPassed(checks));
    result.set("checks", checks);
    result.put("word_count", words);
    result.put("target_word_count", inputs.wordCount());
    result.set("keyword_coverage", coverage);
    result.set("readability", Json.object().put("flesch_reading_ease", readingEase));
    result.set("repeated_sentences", Json.strings(repeated));
    result.set("near_duplicate_sentences", similarPairs);
    result.set("banned_phrases_found", Json.strings(banned));
    return result;
  }

  private static void wordCountCheck(ArrayNode checks, int words, int target) {
    double deviation = Math.abs(words - target) / (double) target;
    check(checks, "word_count", deviation <= WORD_COUNT_TOLERANCE,
        words + " words against a target of " + target + " (allowed ±15%)",
        Json.object().put("actual", words).put("target", target));
  }

  private static void headingsCheck(ArrayNode checks, MarkdownDoc doc) {
    int h2 = doc.headingTexts(2).size();
    int h3 = doc.headingTexts(3).size();
    check(checks, "headings", h2 > 0, h2 + " H2 and " + h3 + " H3 headings",
        Json.object().put("h2", h2).put("h3", h3));
  }

  /** Sentences that occur more than once after lower-casing and dropping end punctuation. */
  static List<String> repeatedSentences(List<String> sentences) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, String> firstSeen = new LinkedHashMap<>();
    for (String sentence : sentences) {
      String key = Text.normalise(sentence).replaceAll("[.!?…]+$", "");
      counts.merge(key, 1, Integer::sum);
      firstSeen.putIfAbsent(key, sentence);
    }
    List<String> repeated = new ArrayList<>();
    counts.forEach((key, count) -> {
      if (count > 1) {
        repeated.add(firstSeen.get(key));
      }
    });
    return repeated;
  }

  private static void check(ArrayNode checks, String name, boolean passed, String detail, JsonNode value) {
    checks.addObject().put("name", name).put("passed", passed).put("detail", detail).set("value", value);
  }

  private static boolean allPassed(ArrayNode checks) {
    for (JsonNode check : checks) {
      if (!check.path("passed").asBoolean()) {
        return false;
      }
    }
    return true;
  }
}
