package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import java.util.List;

/**
 * keyword_clustering: DBSCAN over the keyword vectors. {@code eps} (cosine distance) and {@code minPts}
 * come from the job's payload, else the defaults stored with the vectors (lexical 0.45, MiniLM 0.35;
 * minPts 1, so every keyword lands in a cluster).
 */
final class KeywordClusteringStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    KeywordVectors vectors = KeywordVectors.of(embedded(context));
    PageJob job = PageJob.of(context);
    double eps = job.eps() != null ? job.eps() : vectors.defaultEps();
    List<KeywordClusters.KeywordCluster> clusters = KeywordClusters.cluster(vectors, eps, job.minPts());
    ObjectNode result = Json.object();
    result.put("algorithm", "dbscan");
    result.put("metric", "cosine");
    result.put("eps", eps);
    result.put("min_pts", job.minPts());
    result.put("embedding_model", vectors.model());
    result.set("clusters", json(clusters));
    return result;
  }

  static JsonNode embedded(StageContext context) {
    JsonNode embedded = context.result("segment_embed");
    if (embedded == null) {
      throw new PermanentStageFailure(context.stage() + " needs the vectors of segment_embed, which has no result");
    }
    return embedded;
  }

  static ArrayNode json(List<KeywordClusters.KeywordCluster> clusters) {
    ArrayNode array = Json.array();
    for (KeywordClusters.KeywordCluster cluster : clusters) {
      array.addObject().put("id", cluster.id()).put("name", cluster.name()).put("noise", cluster.noise())
          .set("keywords", Json.strings(cluster.keywords()));
    }
    return array;
  }

  static List<KeywordClusters.KeywordCluster> read(JsonNode clusters) {
    return java.util.stream.StreamSupport.stream(clusters.spliterator(), false)
        .map(c -> new KeywordClusters.KeywordCluster(c.path("id").asInt(), c.path("name").asText(),
            Json.textList(c.path("keywords")), c.path("noise").asBoolean()))
        .toList();
  }
}
