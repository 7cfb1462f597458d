package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReadabilityTest {

  @Test
  void syllables_are_counted_by_vowel_groups_without_a_silent_e() {
    assertThat(Readability.syllables("cat")).isEqualTo(1);
    assertThat(Readability.syllables("make")).isEqualTo(1);
    assertThat(Readability.syllables("garden")).isEqualTo(2);
    assertThat(Readability.syllables("simple")).isEqualTo(2);
    assertThat(Readability.syllables("tomato")).isEqualTo(3);
  }

  @Test
  void short_plain_sentences_score_as_easy_to_read() {
    assertThat(Readability.fleschReadingEase(List.of("The cat sat on the mat.", "It was warm.")))
        .isGreaterThan(90.0);
  }

  @Test
  void long_sentences_of_long_words_score_as_hard_to_read() {
    String hard = "Institutional considerations necessitate comprehensive organisational "
        + "restructuring alongside administrative rationalisation initiatives.";
    assertThat(Readability.fleschReadingEase(List.of(hard))).isLessThan(10.0);
  }
}
