package io.planperfect.stages.pageperfect;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The documented fallback: a text's terms ({@link Terms}: stop words dropped, light stemming) hashed
 * into {@value #DIMENSIONS} dimensions with sub-linear term frequency, L2-normalised. Cosine similarity
 * is then shared vocabulary; coverage is the share of a keyword's terms found in the segment.
 * Deterministic, no model, no download.
 */
public final class LexicalEmbedder implements Embedder {
  static final int DIMENSIONS = 256;

  @Override
  public String name() {
    return "lexical-hash-" + DIMENSIONS;
  }

  @Override
  public float[] embed(String text) {
    float[] counts = new float[DIMENSIONS];
    List<String> terms = Terms.of(text);
    for (String term : terms) {
      counts[bucket(term)] += 1;
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] = counts[i] == 0 ? 0 : (float) (1 + Math.log(counts[i]));
    }
    return Vectors.normalised(counts);
  }

  @Override
  public Coverage coverage() {
    return Coverage.TERM_RECALL;
  }

  @Override
  public double defaultEps() {
    return 0.45;
  }

  @Override
  public double defaultGapThreshold() {
    return 0.6;
  }

  private static int bucket(String term) {
    CRC32 crc = new CRC32();
    crc.update(term.getBytes(StandardCharsets.UTF_8));
    return (int) (crc.getValue() % DIMENSIONS);
  }
}
