package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.stages.Contexts;
import org.junit.jupiter.api.Test;

class ResearchStageTest {

  @Test
  void research_records_the_inputs() throws Exception {
    JsonNode inputs = Articles.run("research", Articles.payload()).path("inputs");
    assertThat(inputs.path("title").asText()).isEqualTo("Growing Tomatoes on a Small Balcony");
    assertThat(inputs.path("word_count").asInt()).isEqualTo(1200);
    assertThat(inputs.path("tone").asText()).isEqualTo("friendly");
    assertThat(inputs.path("keywords")).hasSize(3);
  }

  @Test
  void research_lists_facts_for_each_keyword() throws Exception {
    JsonNode fact = Articles.run("research", Articles.payload()).path("keyword_facts").get(0);
    assertThat(fact.path("keyword").asText()).isEqualTo("container gardening");
    assertThat(fact.path("slug").asText()).isEqualTo("container-gardening");
    assertThat(fact.path("word_count").asInt()).isEqualTo(2);
    assertThat(fact.path("related_terms")).extracting(JsonNode::asText).contains("balcony");
    assertThat(fact.path("suggested_heading").asText()).containsIgnoringCase("container gardening");
  }

  @Test
  void research_records_sources_of_every_shape_without_fetching_them() throws Exception {
    JsonNode sources = Articles.run("research", Articles.payload()).path("sources");
    assertThat(sources).hasSize(3);
    assertThat(sources.get(0).path("title").asText()).isEqualTo("Tomato basics");
    assertThat(sources.get(1).path("url").asText()).isEqualTo("https://example.org/pots");
    assertThat(sources.get(2).path("excerpt").asText()).startsWith("Tomatoes need");
  }

  @Test
  void a_missing_title_is_a_permanent_failure() {
    ObjectNode payload = Contexts.payload("{\"keywords\": [\"seo\"]}");
    assertThatThrownBy(() -> Articles.run("research", payload))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("title");
  }

  @Test
  void a_blank_title_is_a_permanent_failure() {
    ObjectNode payload = Contexts.payload("{\"title\": \"   \", \"keywords\": [\"seo\"]}");
    assertThatThrownBy(() -> Articles.run("research", payload)).isInstanceOf(PermanentStageFailure.class);
  }

  @Test
  void an_article_without_keywords_is_a_permanent_failure() {
    ObjectNode payload = Contexts.payload("{\"title\": \"SEO\", \"keywords\": []}");
    assertThatThrownBy(() -> Articles.run("research", payload))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("keywords");
  }

  @Test
  void a_word_count_out_of_range_is_a_permanent_failure() {
    assertThatThrownBy(() -> Articles.run("research", Articles.payload(50)))
        .isInstanceOf(PermanentStageFailure.class)
        .hasMessageContaining("word_count");
  }
}
