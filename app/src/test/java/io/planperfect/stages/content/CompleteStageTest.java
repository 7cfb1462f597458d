package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompleteStageTest {

  @Test
  void the_summary_lists_only_the_stages_whose_results_are_present() throws Exception {
    JsonNode draft = Articles.run("draft", Articles.payload());
    JsonNode summary = Articles.run("complete", Articles.payload(), Map.of("draft", draft));
    assertThat(summary.path("completed").asBoolean()).isTrue();
    assertThat(summary.path("stages_completed")).extracting(JsonNode::asText).containsExactly("draft");
    assertThat(summary.path("word_count").asInt()).isEqualTo(draft.path("word_count").asInt());
    assertThat(summary.path("html_length").asInt()).isPositive();
  }
}
