package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Which keywords a text uses and how densely: occurrences times keyword words over all words. */
final class KeywordCoverage {
  private KeywordCoverage() {}

  static ObjectNode measure(String text, List<String> keywords) {
    int totalWords = Math.max(1, Text.wordCount(text));
    List<String> covered = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    ArrayNode perKeyword = Json.array();
    for (String keyword : keywords) {
      int occurrences = occurrences(text, keyword);
      (occurrences > 0 ? covered : missing).add(keyword);
      double density = 100.0 * occurrences * Text.wordCount(keyword) / totalWords;
      perKeyword.addObject()
          .put("keyword", keyword)
          .put("occurrences", occurrences)
          .put("density_percent", Math.round(density * 100) / 100.0);
    }
    ObjectNode coverage = Json.object();
    coverage.set("covered", Json.strings(covered));
    coverage.set("missing", Json.strings(missing));
    coverage.put("ratio", Math.round(100.0 * covered.size() / keywords.size()) / 100.0);
    coverage.set("keywords", perKeyword);
    return coverage;
  }

  /** Whole-phrase, case-insensitive matches, with any run of spaces between the words. */
  static int occurrences(String text, String keyword) {
    String phrase = String.join("\\s+", quoteWords(Text.normalise(keyword)));
    Pattern pattern = Pattern.compile(
        "(?<![\\p{L}\\p{N}])" + phrase + "(?![\\p{L}\\p{N}])",
        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    Matcher matcher = pattern.matcher(text.replace('’', '\''));
    int count = 0;
    while (matcher.find()) {
      count++;
    }
    return count;
  }

  private static String[] quoteWords(String phrase) {
    String[] words = phrase.split(" ");
    for (int i = 0; i < words.length; i++) {
      words[i] = Pattern.quote(words[i]);
    }
    return words;
  }
}
