package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import java.util.List;

/**
 * gap_analysis: coverage of each keyword cluster by the page's segments; clusters under the threshold
 * (the job's {@code gapThreshold}, else the default stored with the vectors) are gaps. When
 * keyword_clustering was skipped, every keyword is a cluster of its own.
 */
final class GapAnalysisStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    return analyse(context);
  }

  static ObjectNode analyse(StageContext context) {
    KeywordVectors vectors = KeywordVectors.of(KeywordClusteringStage.embedded(context));
    JsonNode clustering = context.result("keyword_clustering");
    List<KeywordClusters.KeywordCluster> clusters = clustering == null
        ? KeywordClusters.singletons(vectors)
        : KeywordClusteringStage.read(clustering.path("clusters"));
    Double given = PageJob.of(context).gapThreshold();
    ObjectNode result = GapAnalysis.analyse(vectors, clusters, given != null ? given : vectors.defaultGapThreshold());
    result.put("clusters_from", clustering == null ? "keywords (keyword_clustering skipped)" : "keyword_clustering");
    return result;
  }
}
