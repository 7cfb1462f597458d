package io.planperfect.stages;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/** The few paragraphs of a page that say most about the given keywords (the first long ones when none does). */
public final class KeyPassages {
  private static final int MAX_CHARS = 400;
  private static final int MIN_WORDS = 8;

  private KeyPassages() {}

  public static List<String> pick(List<String> paragraphs, List<String> keywords, int count) {
    Set<String> terms = new HashSet<>();
    keywords.forEach(k -> terms.addAll(Text.words(Text.normalise(k))));
    List<String> candidates = paragraphs.stream().filter(p -> Text.wordCount(p) >= MIN_WORDS).toList();
    return IntStream.range(0, candidates.size()).boxed()
        .sorted(Comparator.comparingInt((Integer i) -> -score(candidates.get(i), terms)).thenComparingInt(i -> i))
        .limit(count)
        .sorted()
        .map(i -> shorten(candidates.get(i)))
        .toList();
  }

  private static int score(String paragraph, Set<String> terms) {
    int score = 0;
    for (String word : Text.words(Text.normalise(paragraph))) {
      score += terms.contains(word) ? 1 : 0;
    }
    return score;
  }

  private static String shorten(String paragraph) {
    return paragraph.length() <= MAX_CHARS ? paragraph : paragraph.substring(0, MAX_CHARS).trim() + "…";
  }
}
