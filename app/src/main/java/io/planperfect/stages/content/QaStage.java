package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures the draft against the brief. A failed check is recorded in the result with
 * passed=false rather than thrown: the job goes on and the result says what to fix.
 */
public final class QaStage implements CompletingStage {
  static final double WORD_COUNT_TOLERANCE = 0.15;
  static final double MIN_READING_EASE = 30.0;

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    return build(job.inputs(), job.draft());
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
