package io.planperfect.stages.writer;

import io.planperfect.stages.Text;
import java.util.List;

/** Fills the slots of one sentence template for a given keyword. */
final class SentenceTemplate {
  private final String audience;
  private final List<String> keywords;

  SentenceTemplate(String audience, List<String> keywords) {
    this.audience = audience;
    this.keywords = keywords;
  }

  String fill(String template, String keyword, String term) {
    return template
        .replace("{kwlist}", keywordList())
        .replace("{KW}", Text.titleCase(keyword))
        .replace("{Kw}", Text.capitalise(keyword))
        .replace("{kw}", keyword)
        .replace("{term}", term)
        .replace("{audience}", audience);
  }

  /** Puts an opener in front and a tail before the final punctuation mark. */
  static String decorate(String sentence, String opener, String tail) {
    String body = opener.isEmpty() ? sentence : opener + Text.decapitalise(sentence);
    if (tail.isEmpty()) {
      return body;
    }
    int end = body.length() - 1;
    return body.substring(0, end) + tail + body.charAt(end);
  }

  /** "a", "a and b" or "a, b and c" from the first three keywords. */
  private String keywordList() {
    List<String> first = keywords.subList(0, Math.min(3, keywords.size()));
    if (first.size() == 1) {
      return first.get(0);
    }
    return String.join(", ", first.subList(0, first.size() - 1)) + " and " + first.get(first.size() - 1);
  }
}
