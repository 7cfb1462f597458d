package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Without the model on the class path (the default build): the lexical fallback runs, and saying so is recorded. */
@Tag("no-minilm")
class EmbeddersTest {

  @Test
  void without_the_model_auto_chooses_the_lexical_fallback_and_minilm_is_refused() {
    assertThat(MiniLmEmbedder.load()).isEmpty();
    assertThat(Embedders.choose(null).name()).isEqualTo("lexical-hash-256");
    assertThat(Embedders.choose("auto")).isInstanceOf(LexicalEmbedder.class);
    assertThatThrownBy(() -> Embedders.choose("minilm")).hasMessageContaining("PLANPERFECT_EMBEDDINGS")
        .hasMessageContaining("-Pembeddings-minilm");
    assertThatThrownBy(() -> Embedders.choose("bert")).hasMessageContaining("PLANPERFECT_EMBEDDINGS");
    assertThat(Embedders.choose("lexical").coverage()).isEqualTo(Coverage.TERM_RECALL);
  }
}
