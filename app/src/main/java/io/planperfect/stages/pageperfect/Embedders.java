package io.planperfect.stages.pageperfect;

import java.util.Locale;

/**
 * Which embedder a node uses, from {@code PLANPERFECT_EMBEDDINGS}: {@code auto} (the default: the
 * MiniLM model when its artifact is on the class path, else lexical), {@code lexical}, or {@code minilm}
 * (refused at start when the artifact is missing).
 */
public final class Embedders {
  private Embedders() {}

  public static Embedder choose(String preference) {
    String choice = preference == null || preference.isBlank() ? "auto" : preference.trim().toLowerCase(Locale.ROOT);
    return switch (choice) {
      case "auto" -> MiniLmEmbedder.load().orElseGet(LexicalEmbedder::new);
      case "lexical" -> new LexicalEmbedder();
      case "minilm" -> MiniLmEmbedder.load().orElseThrow(() -> new IllegalArgumentException(
          "invalid configuration: PLANPERFECT_EMBEDDINGS=minilm but the model is not on the class path"
              + " (build with -Pembeddings-minilm)"));
      default -> throw new IllegalArgumentException(
          "invalid configuration: PLANPERFECT_EMBEDDINGS must be auto, lexical or minilm, got '" + preference + "'");
    };
  }
}
