package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class DraftStageTest {

  @ParameterizedTest(name = "{0} words")
  @ValueSource(ints = {300, 1200, 3000})
  void draft_is_within_ten_percent_of_the_requested_word_count(int target) throws Exception {
    int words = Articles.run("draft", Articles.payload(target)).path("word_count").asInt();
    assertThat(words).isBetween((int) (target * 0.9), (int) (target * 1.1));
  }

  @Test
  void draft_works_with_no_earlier_results() throws Exception {
    ObjectNode draft = Articles.run("draft", Articles.payload());
    assertThat(draft.path("markdown").asText()).startsWith("# Growing Tomatoes on a Small Balcony\n");
    assertThat(draft.path("headings")).isNotEmpty();
  }

  @Test
  void the_same_inputs_give_the_same_draft() throws Exception {
    assertThat(Articles.run("draft", Articles.payload())).isEqualTo(Articles.run("draft", Articles.payload()));
  }

  @Test
  void the_draft_follows_a_stored_outline() throws Exception {
    ObjectNode outline = Articles.run("outline", Articles.payload());
    ((ObjectNode) outline.path("sections").get(1)).put("heading", "Choosing Pots That Drain Well");
    ObjectNode draft = Articles.run("draft", Articles.payload(), Map.of("outline", outline));
    assertThat(draft.path("markdown").asText()).contains("\n## Choosing Pots That Drain Well\n");
  }

  @Test
  void the_draft_has_h2_and_h3_headings_and_a_faq_section() throws Exception {
    String markdown = Articles.run("draft", Articles.payload()).path("markdown").asText();
    assertThat(markdown).contains("\n## Frequently Asked Questions\n").contains("\n### ").contains("\n## Conclusion\n");
  }

  @Test
  void the_meta_description_is_short_and_names_the_first_keyword() throws Exception {
    JsonNode draft = Articles.run("draft", Articles.payload());
    assertThat(draft.path("meta_description").asText()).contains("container gardening").hasSizeLessThanOrEqualTo(160);
  }
}
