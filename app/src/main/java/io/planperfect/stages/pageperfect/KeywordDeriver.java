package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Target keywords for a job that gave none: the page's title and section headings (lower case, up to
 * {@value #MAX_KEYWORDS}), or, on a page without headings, its most frequent words.
 */
final class KeywordDeriver {
  static final int MAX_KEYWORDS = 12;

  private KeywordDeriver() {}

  static List<String> from(JsonNode crawl) {
    Set<String> keywords = new LinkedHashSet<>();
    for (JsonNode heading : crawl.path("headings")) {
      if (heading.path("level").asInt() <= 3 && keywords.size() < MAX_KEYWORDS) {
        String phrase = Text.normalise(heading.path("text").asText());
        if (!Terms.of(phrase).isEmpty() && phrase.length() <= 80) {
          keywords.add(phrase);
        }
      }
    }
    if (keywords.isEmpty()) {
      keywords.addAll(frequentWords(crawl.path("text").asText(), 8));
    }
    return new ArrayList<>(keywords);
  }

  private static List<String> frequentWords(String text, int count) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String word : Text.words(Text.normalise(text))) {
      if (word.length() > 3 && !Terms.STOP_WORDS.contains(word)) {
        counts.merge(word, 1, Integer::sum);
      }
    }
    return counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(count).map(Map.Entry::getKey).toList();
  }
}
