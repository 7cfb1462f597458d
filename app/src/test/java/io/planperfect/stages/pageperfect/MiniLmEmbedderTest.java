package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.Contexts;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The in-process model (run with {@code ./mvnw -pl app test -Pembeddings-minilm -Dtest=MiniLmEmbedderTest}):
 * found on the class path, chosen by auto, similar sentences closer than unrelated ones, and recorded by
 * segment_embed as the model that ran.
 */
@Tag("minilm")
class MiniLmEmbedderTest {

  @Test
  void the_model_is_found_and_chosen_and_puts_similar_texts_closer() {
    Embedder model = MiniLmEmbedder.load().orElseThrow();
    assertThat(Embedders.choose("auto").name()).isEqualTo("all-minilm-l6-v2-q");
    float[] pruning = model.embed("how to prune tomato suckers");
    assertThat(pruning).hasSize(384);
    double similar = Vectors.cosine(pruning, model.embed("pinching out side shoots on tomato plants"));
    double unrelated = Vectors.cosine(pruning, model.embed("quarterly tax return deadlines"));
    assertThat(similar).isGreaterThan(unrelated + 0.2);
  }

  @Test
  void segment_embed_records_the_model_and_its_defaults() throws Exception {
    Embedder model = Embedders.choose("minilm");
    JsonNode crawl = Contexts.payload("""
        {"title": "Tomatoes", "blocks": [{"level": 2, "text": "Watering"},
         {"level": 0, "text": "Water tomatoes in the morning."}]}""");
    JsonNode result = new SegmentEmbedStage(model).result(Contexts.context("pageperfect", "segment_embed",
        Contexts.payload("{\"url\":\"http://127.0.0.1/\",\"keywords\":[\"watering tomatoes\"]}"),
        java.util.Map.of("wait_crawl", crawl)));
    assertThat(result.path("embedding_model").asText()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(result.path("coverage_measure").asText()).isEqualTo("cosine");
    assertThat(result.path("dimensions").asInt()).isEqualTo(384);
    KeywordVectors vectors = KeywordVectors.of(result);
    JsonNode gaps = GapAnalysis.analyse(vectors, KeywordClusters.singletons(vectors), vectors.defaultGapThreshold());
    assertThat(gaps.path("gap_count").asInt()).isZero();
    assertThat(List.of(vectors.defaultEps(), vectors.defaultGapThreshold())).containsExactly(0.35, 0.4);
  }
}
