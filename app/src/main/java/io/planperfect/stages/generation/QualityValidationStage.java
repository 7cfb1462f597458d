package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import io.planperfect.stages.content.Readability;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The assembled page's checks: length (at least the page type's minimum), keyword coverage (every
 * keyword appears), duplicate sentences (none), readability (Flesch reading ease of at least 30).
 * A failed check is recorded ({@code passed: false} with the failures) and the page goes on;
 * a job with {@code skipQualityCheck} passes this stage over (its skip predicate).
 */
final class QualityValidationStage implements CompletingStage {
  static final double MIN_READING_EASE = 30.0;

  private final ComponentWriter writer;
  private final TargetPageSource pages;

  QualityValidationStage(ComponentWriter writer, TargetPageSource pages) {
    this.writer = writer;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) {
    GenerationJob job = new GenerationJob(context, writer, pages);
    return check(job.request(), job.assembled().path("markdown").asText());
  }

  static ObjectNode check(GenerationRequest request, String markdown) {
    String text = markdown.replaceAll("\\[\\[[^]]*]]", "").replaceAll("(?m)^#+ ", "");
    List<String> sentences = sentences(text);
    List<String> failures = new ArrayList<>();
    int words = Text.wordCount(text);
    if (words < request.pageType().minWords) {
      failures.add("length: " + words + " words, at least " + request.pageType().minWords + " wanted");
    }
    String lower = text.toLowerCase(Locale.ROOT);
    List<String> missing = request.keywords().stream().filter(k -> !lower.contains(k.toLowerCase(Locale.ROOT))).toList();
    if (!missing.isEmpty()) {
      failures.add("keyword coverage: missing " + missing);
    }
    List<String> duplicates = duplicates(sentences);
    if (!duplicates.isEmpty()) {
      failures.add("duplicates: " + duplicates.size() + " repeated sentences");
    }
    double ease = Readability.fleschReadingEase(sentences);
    if (ease < MIN_READING_EASE) {
      failures.add("readability: reading ease " + ease + ", at least " + MIN_READING_EASE + " wanted");
    }
    ObjectNode result = Json.object().put("passed", failures.isEmpty()).put("word_count", words)
        .put("keyword_coverage", request.keywords().size() - missing.size()).put("keywords", request.keywords().size())
        .put("duplicate_sentences", duplicates.size()).put("reading_ease", ease);
    ArrayNode list = result.putArray("failures");
    failures.forEach(list::add);
    return result;
  }

  private static List<String> sentences(String text) {
    List<String> sentences = new ArrayList<>();
    for (String part : text.split("(?<=[.!?])\\s+|\\n+")) {
      if (Text.wordCount(part) > 0) {
        sentences.add(part.trim());
      }
    }
    return sentences;
  }

  private static List<String> duplicates(List<String> sentences) {
    Set<String> seen = new HashSet<>();
    List<String> repeated = new ArrayList<>();
    for (String sentence : sentences) {
      if (Text.wordCount(sentence) >= 5 && !seen.add(Text.normalise(sentence))) {
        repeated.add(sentence);
      }
    }
    return repeated;
  }
}
