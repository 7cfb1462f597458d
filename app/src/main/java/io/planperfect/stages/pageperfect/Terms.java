package io.planperfect.stages.pageperfect;

import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Words reduced to comparable terms: lower case, stop words dropped, a light suffix stemmer. */
final class Terms {
  static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does",
      "for", "from", "how", "i", "in", "into", "is", "it", "its", "of", "on", "or", "our", "so", "that", "the",
      "their", "them", "then", "there", "these", "they", "this", "to", "was", "we", "what", "when", "where", "which",
      "while", "who", "why", "will", "with", "you", "your", "all", "any", "but", "not", "no", "more", "most", "has",
      "have", "had", "than", "too", "very", "also", "just", "about", "each", "every", "if", "up", "out", "one", "my");

  private Terms() {}

  static List<String> of(String text) {
    List<String> terms = new ArrayList<>();
    for (String word : Text.words(Text.normalise(text))) {
      String clean = word.replaceAll("['’-]", "");
      if (clean.length() > 1 && !STOP_WORDS.contains(clean)) {
        terms.add(stem(clean));
      }
    }
    return terms;
  }

  static String stem(String word) {
    String stem = word;
    for (String suffix : List.of("ing", "ed", "es", "s")) {
      if (stem.length() > suffix.length() + 2 && stem.endsWith(suffix)) {
        stem = stem.substring(0, stem.length() - suffix.length());
        break;
      }
    }
    if (stem.length() > 3 && stem.endsWith("e")) {
      stem = stem.substring(0, stem.length() - 1);
    }
    return stem;
  }
}
