package io.planperfect.stages.shared;

import io.planperfect.stages.Contexts;
import io.planperfect.stages.PayloadFields;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.planperfect.pipeline.PermanentStageFailure;
import org.junit.jupiter.api.Test;

class PayloadFieldsTest {

  @Test
  void blank_text_counts_as_absent() {
    assertThat(PayloadFields.text(Contexts.payload("{\"title\":\"  \"}"), "title")).isNull();
  }

  @Test
  void a_missing_required_text_is_a_permanent_failure() {
    assertThatThrownBy(() -> PayloadFields.requiredText(Contexts.payload("{}"), "title"))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("title");
  }

  @Test
  void an_absent_integer_takes_the_default() {
    assertThat(PayloadFields.intOr(Contexts.payload("{}"), "word_count", 1200)).isEqualTo(1200);
  }

  @Test
  void a_non_numeric_integer_is_a_permanent_failure() {
    assertThatThrownBy(() -> PayloadFields.intOr(Contexts.payload("{\"n\":\"many\"}"), "n", 1))
        .isInstanceOf(PermanentStageFailure.class);
  }

  @Test
  void string_lists_are_trimmed_and_deduplicated_ignoring_case() {
    assertThat(PayloadFields.strings(Contexts.payload("{\"k\":[\" SEO \",\"seo\",\"\",\"tips\"]}"), "k"))
        .containsExactly("SEO", "tips");
  }
}
