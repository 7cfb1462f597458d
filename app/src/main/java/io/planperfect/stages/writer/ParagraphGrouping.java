package io.planperfect.stages.writer;

import java.util.ArrayList;
import java.util.List;

/** Groups sentences into paragraphs of three to five sentences. */
final class ParagraphGrouping {
  private ParagraphGrouping() {}

  static List<String> group(List<String> sentences, String seed) {
    List<String> paragraphs = new ArrayList<>();
    int index = 0;
    while (index < sentences.size()) {
      int size = 3 + StableHash.pick(3, seed, "paragraph", index);
      int end = Math.min(sentences.size(), index + size);
      // why: a lone trailing sentence reads like an afterthought, so it joins the paragraph before.
      if (sentences.size() - end == 1) {
        end++;
      }
      paragraphs.add(String.join(" ", sentences.subList(index, end)));
      index = end;
    }
    return paragraphs;
  }
}
