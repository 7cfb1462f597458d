package io.planperfect.stages.content;

import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sentences that say nearly the same thing: the word 3-shingles of two normalised sentences (lower
 * case, words only) overlap by at least {@link #THRESHOLD} (Jaccard). Sentences under
 * {@link #MIN_WORDS} words are left alone (short sentences share shingles by chance).
 */
final class NearDuplicates {
  static final double THRESHOLD = 0.6;
  static final int MIN_WORDS = 6;
  private static final int SHINGLE = 3;

  private NearDuplicates() {}

  /** Each pair found, as [earlier sentence, later sentence]; exact repeats included. */
  static List<List<String>> pairs(List<String> sentences) {
    List<Set<String>> shingles = new ArrayList<>();
    for (String sentence : sentences) {
      shingles.add(shingles(sentence));
    }
    List<List<String>> pairs = new ArrayList<>();
    for (int i = 0; i < sentences.size(); i++) {
      for (int j = i + 1; j < sentences.size(); j++) {
        if (similarity(shingles.get(i), shingles.get(j)) >= THRESHOLD) {
          pairs.add(List.of(sentences.get(i), sentences.get(j)));
        }
      }
    }
    return pairs;
  }

  static Set<String> shingles(String sentence) {
    List<String> words = Text.words(sentence.toLowerCase(Locale.ROOT));
    Set<String> shingles = new HashSet<>();
    if (words.size() < MIN_WORDS) {
      return shingles;
    }
    for (int i = 0; i + SHINGLE <= words.size(); i++) {
      shingles.add(String.join(" ", words.subList(i, i + SHINGLE)));
    }
    return shingles;
  }

  static double similarity(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return 0;
    }
    int common = 0;
    for (String shingle : a) {
      if (b.contains(shingle)) {
        common++;
      }
    }
    return common / (double) (a.size() + b.size() - common);
  }
}
