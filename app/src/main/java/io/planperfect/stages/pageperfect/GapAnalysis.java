package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.stages.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Per keyword cluster: each keyword's coverage is its best segment's score; the cluster's coverage is
 * the mean over its keywords; its best-matching segments are those with the highest mean score. A
 * cluster under the threshold is a gap: the page does not cover that topic.
 */
final class GapAnalysis {
  static final int BEST_SEGMENTS = 3;

  private GapAnalysis() {}

  static ObjectNode analyse(KeywordVectors vectors, List<KeywordClusters.KeywordCluster> clusters, double threshold) {
    ObjectNode result = Json.object();
    result.put("threshold", threshold);
    result.put("coverage_measure", vectors.coverage().label());
    result.put("embedding_model", vectors.model());
    ArrayNode nodes = result.putArray("clusters");
    List<String> gaps = new ArrayList<>();
    double total = 0;
    for (KeywordClusters.KeywordCluster cluster : clusters) {
      double[] segmentScores = new double[vectors.segments().size()];
      double coverage = 0;
      ObjectNode node = nodes.addObject().put("id", cluster.id()).put("name", cluster.name());
      node.set("keywords", Json.strings(cluster.keywords()));
      ObjectNode perKeyword = node.putObject("keyword_coverage");
      for (String keyword : cluster.keywords()) {
        double best = 0;
        for (int s = 0; s < segmentScores.length; s++) {
          double score = vectors.coverage().score(vectors.keywordVector(keyword), vectors.segmentVectors().get(s));
          segmentScores[s] += score / cluster.keywords().size();
          best = Math.max(best, score);
        }
        perKeyword.put(keyword, round(best));
        coverage += best / cluster.keywords().size();
      }
      node.put("coverage", round(coverage));
      node.put("gap", coverage < threshold);
      node.set("best_segments", bestSegments(vectors.segments(), segmentScores));
      if (coverage < threshold) {
        gaps.add(cluster.name());
      }
      total += coverage;
    }
    result.set("gaps", Json.strings(gaps));
    result.put("gap_count", gaps.size());
    result.put("covered_count", clusters.size() - gaps.size());
    result.put("page_coverage", clusters.isEmpty() ? 0 : round(total / clusters.size()));
    return result;
  }

  private static ArrayNode bestSegments(List<Segment> segments, double[] scores) {
    ArrayNode best = Json.array();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < scores.length; i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingDouble((Integer i) -> -scores[i]).thenComparingInt(i -> i));
    for (int i : order.subList(0, Math.min(BEST_SEGMENTS, order.size()))) {
      if (scores[i] > 0) {
        best.addObject().put("index", segments.get(i).index()).put("heading", segments.get(i).heading())
            .put("score", round(scores[i]));
      }
    }
    return best;
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }
}
