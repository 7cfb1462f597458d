package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.stages.Contexts;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContentPipelineTest {

  @Test
  void the_definition_lists_the_stages_in_order() {
    PipelineDefinition definition = ContentPipeline.definition();
    assertThat(definition.name()).isEqualTo("content");
    assertThat(definition.queue()).isEqualTo("content");
    assertThat(definition.jobTypes()).containsExactly("article");
    assertThat(definition.stageNames()).containsExactly("research", "outline", "draft", "qa", "export", "complete");
  }

  @Test
  void running_every_stage_in_order_ends_with_a_passing_summary() throws Exception {
    ObjectNode summary = runAll();
    assertThat(summary.path("completed").asBoolean()).isTrue();
    assertThat(summary.path("qa_passed").asBoolean()).isTrue();
    assertThat(summary.path("stages_completed")).extracting(JsonNode::asText)
        .containsExactly("research", "outline", "draft", "qa", "export");
  }

  @Test
  void running_the_pipeline_twice_gives_identical_results() throws Exception {
    assertThat(runAll()).isEqualTo(runAll());
  }

  private static ObjectNode runAll() throws Exception {
    PipelineDefinition definition = ContentPipeline.definition();
    Map<String, JsonNode> results = new LinkedHashMap<>();
    ObjectNode last = null;
    for (String stage : definition.stageNames()) {
      last = Contexts.completed(definition.handler(stage).run(Contexts.context("content", stage, Articles.payload(), Map.copyOf(results))));
      results.put(stage, last);
    }
    return last;
  }
}
