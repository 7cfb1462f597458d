package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.stages.Contexts;
import io.planperfect.stages.Json;
import io.planperfect.testing.LocalSite;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The six stages with the in-process model on the local tomato site (profile embeddings-minilm). */
@Tag("minilm")
class MiniLmPipelineTest {

  @Test
  void with_the_model_the_missing_topic_is_the_one_gap_and_the_model_is_recorded() throws Exception {
    try (LocalSite site = TomatoSite.start()) {
      GuardedFetcher fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1/32")));
      PipelineDefinition pipeline = PagePerfectPipeline.definition(fetcher, Embedders.choose("minilm"), new OfflinePageRewriter());
      ObjectNode payload = Contexts.payload("{\"url\":\"" + site.url("/tomatoes") + "\"}");
      payload.set("keywords", Json.strings(TomatoSite.KEYWORDS));
      Map<String, JsonNode> results = new HashMap<>();
      for (String stage : pipeline.stageNames()) {
        results.put(stage, Contexts.completed(pipeline.handler(stage).run(Contexts.context("pageperfect", stage, payload, Map.copyOf(results)))));
      }
      assertThat(results.get("segment_embed").path("embedding_model").asText()).isEqualTo("all-minilm-l6-v2-q");
      JsonNode lowest = null;
      for (JsonNode cluster : results.get("gap_analysis").path("clusters")) {
        System.out.println("MiniLM coverage " + cluster.path("name").asText() + ": " + cluster.path("coverage").asDouble()
            + " gap=" + cluster.path("gap").asBoolean());
        if (lowest == null || cluster.path("coverage").asDouble() < lowest.path("coverage").asDouble()) {
          lowest = cluster;
        }
      }
      assertThat(lowest.path("name").asText()).isIn(TomatoSite.MISSING_TOPIC);
      assertThat(results.get("gap_analysis").path("gap_count").asInt()).isEqualTo(1);
      assertThat(lowest.path("keywords")).extracting(JsonNode::asText).containsExactlyInAnyOrderElementsOf(TomatoSite.MISSING_TOPIC);
      assertThat(results.get("rewrite_draft").path("writer").asText()).isEqualTo("offline");
    }
  }
}
