package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Contexts;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class QaStageTest {
  private static final String CRAFTED = """
      # Balcony Tomatoes

      ## Container Gardening Basics

      Container gardening suits small spaces. Let us delve into the details. Water the pots daily.

      ## More Notes

      Water the pots daily. In today's fast-paced world, tomatoes are a game-changer.
      """;

  @Test
  void a_generated_draft_passes_every_check() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload());
    assertThat(qa.path("checks")).allSatisfy(check -> assertThat(check.path("passed").asBoolean())
        .as(check.toString()).isTrue());
    assertThat(qa.path("passed").asBoolean()).isTrue();
  }

  @Test
  void sentences_that_say_nearly_the_same_thing_are_reported_not_only_exact_repeats() throws Exception {
    String markdown = """
        # Balcony Tomatoes

        ## Container Gardening Basics

        Honestly, you do not need a large budget to get real value from container gardening.
        You do not need a large budget to get real value from container gardening for most beginners.
        Water the pots daily and check the soil with a finger before you water again.
        """;
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(markdown));
    assertThat(check(qa, "repeated_sentences").path("passed").asBoolean()).isTrue();
    assertThat(check(qa, "near_duplicate_sentences").path("passed").asBoolean()).isFalse();
    assertThat(qa.path("near_duplicate_sentences")).hasSize(1);
    assertThat(qa.path("near_duplicate_sentences").get(0).get(1).asText()).startsWith("You do not need a large budget");
  }

  @Test
  void a_long_offline_draft_reports_the_sentence_templates_it_had_to_reuse() throws Exception {
    // why 3000 words: the offline writer's bank holds about 80 body templates; past them it reuses
    // one with another keyword or opener, never a whole sentence, and QA says so
    JsonNode qa = Articles.run("qa", Articles.payload(3000));
    assertThat(check(qa, "repeated_sentences").path("passed").asBoolean()).isTrue();
    assertThat(check(qa, "near_duplicate_sentences").path("passed").asBoolean()).isFalse();
    assertThat(qa.path("passed").asBoolean()).isFalse();
  }

  @Test
  void qa_reports_keywords_missing_from_the_draft() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED));
    assertThat(qa.path("keyword_coverage").path("covered")).extracting(JsonNode::asText)
        .containsExactly("container gardening");
    assertThat(qa.path("keyword_coverage").path("missing")).extracting(JsonNode::asText)
        .containsExactly("tomato varieties", "watering schedule");
    assertThat(check(qa, "keyword_coverage").path("passed").asBoolean()).isFalse();
  }

  @Test
  void qa_reports_repeated_sentences() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED));
    assertThat(qa.path("repeated_sentences")).extracting(JsonNode::asText).containsExactly("Water the pots daily.");
  }

  @Test
  void qa_reports_built_in_banned_phrases() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED));
    assertThat(qa.path("banned_phrases_found")).extracting(JsonNode::asText)
        .contains("delve into", "in today's fast-paced world", "game-changer");
  }

  @Test
  void qa_reports_banned_phrases_from_the_payload() throws Exception {
    ObjectNode payload = Articles.payload();
    payload.putArray("banned_phrases").add("Small Spaces");
    JsonNode qa = Articles.run("qa", payload, Articles.withDraft(CRAFTED));
    assertThat(qa.path("banned_phrases_found")).extracting(JsonNode::asText).contains("small spaces");
  }

  @Test
  void a_failing_check_is_recorded_not_thrown() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED));
    assertThat(qa.path("passed").asBoolean()).isFalse();
    assertThat(check(qa, "word_count").path("passed").asBoolean()).isFalse();
  }

  @Test
  void qa_counts_h2_and_h3_headings() throws Exception {
    JsonNode qa = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED));
    assertThat(check(qa, "headings").path("value").path("h2").asInt()).isEqualTo(2);
    assertThat(check(qa, "headings").path("value").path("h3").asInt()).isZero();
  }

  @Test
  void the_flesch_score_of_a_generated_draft_is_in_a_plain_english_range() throws Exception {
    double score = Articles.run("qa", Articles.payload()).path("readability").path("flesch_reading_ease").asDouble();
    assertThat(score).isBetween(40.0, 90.0);
  }

  @Test
  void keyword_density_is_reported_as_a_percentage() throws Exception {
    JsonNode first = Articles.run("qa", Articles.payload(), Articles.withDraft(CRAFTED))
        .path("keyword_coverage").path("keywords").get(0);
    assertThat(first.path("occurrences").asInt()).isEqualTo(2);
    assertThat(first.path("density_percent").asDouble()).isBetween(5.0, 20.0);
  }

  @Test
  void qa_without_a_stored_draft_measures_a_generated_one() throws Exception {
    JsonNode qa = Articles.run("qa", Contexts.payload(
        "{\"title\": \"Remote Work\", \"keywords\": [\"home office\"], \"word_count\": 600}"));
    assertThat(qa.path("word_count").asInt()).isBetween(540, 660);
  }

  private static JsonNode check(JsonNode qa, String name) {
    return StreamSupport.stream(qa.path("checks").spliterator(), false)
        .filter(c -> c.path("name").asText().equals(name)).findFirst().orElseThrow();
  }
}
