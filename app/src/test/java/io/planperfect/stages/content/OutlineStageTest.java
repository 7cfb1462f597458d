package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class OutlineStageTest {

  @Test
  void the_outline_has_one_h2_per_keyword() throws Exception {
    List<JsonNode> keywordSections = sections(Articles.run("outline", Articles.payload()), "keyword");
    assertThat(keywordSections).extracting(s -> s.path("keyword").asText())
        .containsExactly("container gardening", "tomato varieties", "watering schedule");
    assertThat(keywordSections).allSatisfy(s -> assertThat(s.path("level").asInt()).isEqualTo(2));
  }

  @Test
  void each_keyword_section_has_two_h3_subsections() throws Exception {
    assertThat(sections(Articles.run("outline", Articles.payload()), "keyword"))
        .allSatisfy(s -> assertThat(s.path("subsections")).hasSize(2)
            .allSatisfy(sub -> assertThat(sub.path("level").asInt()).isEqualTo(3)));
  }

  @Test
  void the_outline_runs_intro_keywords_faq_conclusion() throws Exception {
    JsonNode outline = Articles.run("outline", Articles.payload());
    assertThat(outline.path("sections")).extracting(s -> s.path("kind").asText())
        .containsExactly("intro", "keyword", "keyword", "keyword", "faq", "conclusion");
  }

  @Test
  void the_section_budgets_add_up_to_the_requested_word_count() throws Exception {
    JsonNode outline = Articles.run("outline", Articles.payload(1234));
    int sum = StreamSupport.stream(outline.path("sections").spliterator(), false)
        .mapToInt(s -> s.path("words").asInt()).sum();
    assertThat(sum).isEqualTo(1234);
  }

  @Test
  void the_outline_uses_the_heading_research_suggested() throws Exception {
    ObjectNode research = Articles.run("research", Articles.payload());
    ((ObjectNode) research.path("keyword_facts").get(0)).put("suggested_heading", "Pots, Soil and Space");
    JsonNode outline = Articles.run("outline", Articles.payload(), Map.of("research", research));
    assertThat(sections(outline, "keyword").get(0).path("heading").asText()).isEqualTo("Pots, Soil and Space");
  }

  private static List<JsonNode> sections(JsonNode outline, String kind) {
    return StreamSupport.stream(outline.path("sections").spliterator(), false)
        .filter(s -> s.path("kind").asText().equals(kind)).toList();
  }
}
