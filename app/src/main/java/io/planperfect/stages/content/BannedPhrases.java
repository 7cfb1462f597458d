package io.planperfect.stages.content;

import io.planperfect.stages.Text;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Finds clichés that mark text as filler: a built-in list plus the job's own phrases. */
final class BannedPhrases {
  static final List<String> BUILT_IN = List.of(
      "in today's fast-paced world",
      "delve into",
      "game-changer",
      "unlock the power of",
      "it's important to note that",
      "in the ever-evolving world");

  private BannedPhrases() {}

  /** The banned phrases present in the text, case-insensitively, each listed once. */
  static List<String> found(String text, List<String> jobPhrases) {
    Set<String> phrases = new LinkedHashSet<>(BUILT_IN);
    jobPhrases.forEach(phrase -> phrases.add(Text.normalise(phrase)));
    String haystack = Text.normalise(text);
    List<String> found = new ArrayList<>();
    for (String phrase : phrases) {
      if (!phrase.isEmpty() && haystack.contains(phrase)) {
        found.add(phrase);
      }
    }
    return found;
  }
}
