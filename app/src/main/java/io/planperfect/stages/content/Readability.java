package io.planperfect.stages.content;

import io.planperfect.stages.Text;
import java.util.List;
import java.util.Locale;

/** The Flesch reading-ease score with a heuristic English syllable counter. */
public final class Readability {
  private Readability() {}

  /** 206.835 - 1.015 (words / sentences) - 84.6 (syllables / words), to one decimal. */
  public static double fleschReadingEase(List<String> sentences) {
    int words = 0;
    int syllables = 0;
    for (String sentence : sentences) {
      for (String word : Text.words(sentence)) {
        words++;
        syllables += syllables(word);
      }
    }
    if (words == 0) {
      return 0.0;
    }
    double score = 206.835 - 1.015 * words / sentences.size() - 84.6 * syllables / words;
    return Math.round(score * 10) / 10.0;
  }

  /** Vowel groups, less a silent final "e" or "es"/"ed", at least one per word. */
  static int syllables(String word) {
    String letters = word.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
    if (letters.isEmpty()) {
      return 1;
    }
    if (letters.length() <= 3) {
      return 1;
    }
    letters = letters.replaceAll("(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$", "x");
    letters = letters.replaceAll("^y", "");
    int groups = 0;
    boolean inVowels = false;
    for (char c : letters.toCharArray()) {
      boolean vowel = "aeiouy".indexOf(c) >= 0;
      if (vowel && !inVowels) {
        groups++;
      }
      inVowels = vowel;
    }
    return Math.max(1, groups);
  }
}
