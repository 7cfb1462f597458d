package io.planperfect.stages.pageperfect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.stages.Contexts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lexical fallback's vectors, DBSCAN over them, segments, derived keywords and gaps, without a node. */
class KeywordClustersTest {
  private final LexicalEmbedder lexical = new LexicalEmbedder();

  private KeywordVectors vectors(List<String> keywords, List<String> segments) {
    List<Segment> segs = new java.util.ArrayList<>();
    for (int i = 0; i < segments.size(); i++) {
      segs.add(new Segment(i, "h" + i, segments.get(i)));
    }
    return new KeywordVectors(keywords, lexical.embedAll(keywords), segs, lexical.embedAll(segments),
        lexical.coverage(), lexical.defaultEps(), lexical.defaultGapThreshold(), lexical.name());
  }

  @Test
  void lexical_vectors_are_deterministic_and_share_weight_only_with_shared_terms() {
    assertThat(lexical.embed("Pruning tomato suckers")).containsExactly(lexical.embed("pruning  TOMATO suckers"));
    double related = Vectors.cosine(lexical.embed("prune tomato suckers"), lexical.embed("pruning suckers"));
    double unrelated = Vectors.cosine(lexical.embed("prune tomato suckers"), lexical.embed("container gardening"));
    assertThat(related).isGreaterThan(0.7);
    assertThat(unrelated).isZero();
  }

  @Test
  void dbscan_groups_keywords_on_one_topic_and_names_the_cluster_by_its_most_central_keyword() {
    KeywordVectors vectors = vectors(TomatoSite.KEYWORDS, List.of("tomatoes"));
    List<KeywordClusters.KeywordCluster> clusters = KeywordClusters.cluster(vectors, vectors.defaultEps(), 1);
    assertThat(clusters).hasSize(5);
    assertThat(clusters).filteredOn(c -> c.keywords().size() == 2).singleElement().satisfies(c -> {
      assertThat(c.keywords()).containsExactlyInAnyOrderElementsOf(TomatoSite.MISSING_TOPIC);
      assertThat(c.name()).isIn(TomatoSite.MISSING_TOPIC);
    });
  }

  @Test
  void eps_and_min_pts_change_the_clusters_and_noise_keywords_stand_alone() {
    KeywordVectors vectors = vectors(TomatoSite.KEYWORDS, List.of("tomatoes"));
    assertThat(KeywordClusters.cluster(vectors, 0.01, 1)).hasSize(TomatoSite.KEYWORDS.size());
    assertThat(KeywordClusters.cluster(vectors, 1.0, 1)).hasSize(1); // a cosine distance of 1 (no shared term) is within 1
    List<KeywordClusters.KeywordCluster> strict = KeywordClusters.cluster(vectors, vectors.defaultEps(), 3);
    assertThat(strict).hasSize(TomatoSite.KEYWORDS.size()).allSatisfy(c -> assertThat(c.noise()).isTrue());
  }

  @Test
  void a_cluster_whose_terms_no_segment_holds_is_a_gap_and_covered_ones_name_their_best_segment() {
    KeywordVectors vectors = vectors(List.of("watering tomatoes", "pruning suckers"),
        List.of("Container gardening with deep pots.", "Watering tomatoes in the morning keeps the fruit whole."));
    JsonNode result = GapAnalysis.analyse(vectors, KeywordClusters.singletons(vectors), 0.6);
    assertThat(result.path("gaps")).extracting(JsonNode::asText).containsExactly("pruning suckers");
    JsonNode watering = result.path("clusters").get(0);
    assertThat(watering.path("coverage").asDouble()).isEqualTo(1.0);
    assertThat(watering.path("best_segments").get(0).path("index").asInt()).isEqualTo(1);
    assertThat(result.path("clusters").get(1).path("coverage").asDouble()).isZero();
  }

  @Test
  void segments_start_at_headings_and_long_sections_are_cut_at_paragraph_ends() {
    String paragraph = "word ".repeat(100).trim();
    JsonNode blocks = Contexts.payload("""
        {"b": [{"level": 0, "text": "Intro text."}, {"level": 2, "text": "First"}, {"level": 0, "text": "%s"},
               {"level": 0, "text": "%s"}, {"level": 2, "text": "Second"}, {"level": 0, "text": "Short."}]}"""
        .formatted(paragraph, paragraph)).path("b");
    List<Segment> segments = Segmenter.split(blocks, "Title");
    assertThat(segments).extracting(Segment::heading).containsExactly("Title", "First", "First", "Second");
    assertThat(segments.get(3).text()).isEqualTo("Second. Short.");
  }

  @Test
  void keywords_are_derived_from_headings_when_none_are_given() {
    JsonNode crawl = Contexts.payload("""
        {"headings": [{"level": 1, "text": "Growing Tomatoes"}, {"level": 2, "text": "Watering"},
                      {"level": 4, "text": "Small print"}], "text": "..."}""");
    assertThat(KeywordDeriver.from(crawl)).containsExactly("growing tomatoes", "watering");
  }
}
