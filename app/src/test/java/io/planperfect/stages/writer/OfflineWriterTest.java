package io.planperfect.stages.writer;

import static org.assertj.core.api.Assertions.assertThat;

import io.planperfect.stages.Text;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OfflineWriterTest {
  private static final List<String> KEYWORDS = List.of("container gardening", "tomato care");

  private static OfflineWriter writer() {
    return new OfflineWriter("Growing Tomatoes on a Balcony", KEYWORDS, "friendly", "beginners");
  }

  @Test
  void the_same_inputs_give_the_same_text() {
    assertThat(writer().body("tomato care", 200)).isEqualTo(writer().body("tomato care", 200));
  }

  @Test
  void a_body_lands_within_half_a_sentence_of_the_requested_words() {
    int words = Text.wordCount(String.join(" ", writer().body("tomato care", 250)));
    assertThat(words).isBetween(240, 262);
  }

  @Test
  void a_long_text_about_one_keyword_repeats_no_sentence() {
    List<String> paragraphs = writer().body("tomato care", 3000);
    List<String> sentences = paragraphs.stream()
        .flatMap(p -> Arrays.stream(p.split("(?<=[.!?])\\s+")))
        .toList();
    Set<String> distinct = new HashSet<>(sentences);
    assertThat(distinct).hasSameSizeAs(sentences);
  }

  @Test
  void the_meta_description_names_the_first_keyword_within_160_characters() {
    assertThat(writer().metaDescription()).contains("container gardening").hasSizeLessThanOrEqualTo(160);
  }

  @Test
  void a_long_title_still_gives_a_short_meta_description_with_the_first_keyword() {
    OfflineWriter writer = new OfflineWriter("A ".repeat(100) + "title", KEYWORDS, null, null);
    assertThat(writer.metaDescription()).contains("container gardening").hasSizeLessThanOrEqualTo(160);
  }

  @Test
  void neighbouring_keyword_sections_get_different_subheadings() {
    assertThat(writer().subheadings("tomato care", 0)).doesNotContainAnyElementsOf(writer().subheadings("tomato care", 1));
  }

  @Test
  void faq_questions_rotate_over_the_keywords() {
    assertThat(writer().faqQuestions(4)).extracting(Faq::keyword)
        .containsExactly("container gardening", "tomato care", "container gardening", "tomato care");
  }

  @Test
  void related_terms_come_from_the_title_and_leave_out_the_keyword() {
    assertThat(writer().relatedTerms("tomato care")).contains("growing", "balcony").doesNotContain("tomatoes", "tomato");
  }
}
