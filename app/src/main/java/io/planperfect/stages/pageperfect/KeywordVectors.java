package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** The keywords and segments with their vectors, as segment_embed stored them. */
record KeywordVectors(List<String> keywords, List<float[]> keywordVectors, List<Segment> segments,
    List<float[]> segmentVectors, Coverage coverage, double defaultEps, double defaultGapThreshold, String model) {

  static KeywordVectors of(JsonNode embedded) {
    List<String> keywords = new ArrayList<>();
    List<float[]> keywordVectors = new ArrayList<>();
    for (JsonNode keyword : embedded.path("keywords")) {
      keywords.add(keyword.path("keyword").asText());
      keywordVectors.add(Vectors.read(keyword.path("vector")));
    }
    List<Segment> segments = new ArrayList<>();
    List<float[]> segmentVectors = new ArrayList<>();
    for (JsonNode segment : embedded.path("segments")) {
      segments.add(new Segment(segment.path("index").asInt(), segment.path("heading").asText(), segment.path("text").asText()));
      segmentVectors.add(Vectors.read(segment.path("vector")));
    }
    return new KeywordVectors(keywords, keywordVectors, segments, segmentVectors,
        Coverage.of(embedded.path("coverage_measure").asText(null)), embedded.path("default_eps").asDouble(0.45),
        embedded.path("default_gap_threshold").asDouble(0.5), embedded.path("embedding_model").asText());
  }

  float[] keywordVector(String keyword) {
    return keywordVectors.get(keywords.indexOf(keyword));
  }
}
