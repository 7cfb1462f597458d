package io.planperfect.stages.pageperfect;

import java.util.List;

/**
 * Turns texts into vectors for segment_embed, and says how well a keyword's vector is covered by a
 * segment's. Two exist: the in-process MiniLM model when its optional artifact is on the class path
 * ({@link MiniLmEmbedder}) and the lexical fallback ({@link LexicalEmbedder}), the default.
 */
public interface Embedder {
  /** Recorded with the results: which model ran. */
  String name();

  float[] embed(String text);

  default List<float[]> embedAll(List<String> texts) {
    return texts.stream().map(this::embed).toList();
  }

  /** How a segment's coverage of a keyword is measured on this model's vectors. */
  default Coverage coverage() {
    return Coverage.COSINE;
  }

  /** DBSCAN's neighbourhood radius in cosine distance for this model's keyword vectors. */
  double defaultEps();

  /** Below this coverage a keyword cluster is a gap. */
  double defaultGapThreshold();
}
