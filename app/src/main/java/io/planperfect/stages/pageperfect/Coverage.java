package io.planperfect.stages.pageperfect;

import java.util.Locale;

/** How well a segment's vector covers a keyword's, 0..1; which one applies is stored with the vectors. */
public enum Coverage {
  /** Cosine similarity, floored at 0: for a model's dense vectors. */
  COSINE {
    @Override
    public double score(float[] keyword, float[] segment) {
      return Math.max(0, Vectors.cosine(keyword, segment));
    }
  },
  /** The share of the keyword's weight on terms the segment has at all: for the lexical vectors. */
  TERM_RECALL {
    @Override
    public double score(float[] keyword, float[] segment) {
      double total = 0;
      double found = 0;
      for (int i = 0; i < keyword.length; i++) {
        double weight = keyword[i] * keyword[i];
        total += weight;
        found += segment[i] > 0 ? weight : 0;
      }
      return total == 0 ? 0 : found / total;
    }
  };

  public abstract double score(float[] keyword, float[] segment);

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Coverage of(String label) {
    return label == null ? COSINE : valueOf(label.toUpperCase(Locale.ROOT));
  }
}
