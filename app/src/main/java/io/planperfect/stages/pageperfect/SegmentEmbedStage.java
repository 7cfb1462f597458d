package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.PermanentStageFailure;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.Text;
import java.util.List;

/**
 * segment_embed: the crawled page in segments (by heading and paragraph), the target keywords (given, or
 * derived from the page), and a vector for each from the node's {@link Embedder}; the result records
 * which model ran, with the clustering and gap defaults that go with its vectors.
 */
final class SegmentEmbedStage implements CompletingStage {
  private final Embedder embedder;

  SegmentEmbedStage(Embedder embedder) {
    this.embedder = embedder;
  }

  @Override
  public ObjectNode result(StageContext context) {
    JsonNode crawl = context.result("wait_crawl");
    if (crawl == null) {
      throw new PermanentStageFailure("segment_embed needs the crawled page of wait_crawl, which has no result");
    }
    List<Segment> segments = Segmenter.split(crawl.path("blocks"), crawl.path("title").asText(""));
    if (segments.isEmpty()) {
      throw new PermanentStageFailure("the page at " + crawl.path("final_url").asText() + " has no text to segment");
    }
    List<String> given = PageJob.of(context).keywords();
    List<String> keywords = given.isEmpty() ? KeywordDeriver.from(crawl) : given;
    if (keywords.isEmpty()) {
      throw new PermanentStageFailure("no keywords were given and none could be derived from the page");
    }
    ObjectNode result = Json.object();
    result.put("embedding_model", embedder.name());
    result.put("coverage_measure", embedder.coverage().label());
    result.put("default_eps", embedder.defaultEps());
    result.put("default_gap_threshold", embedder.defaultGapThreshold());
    result.put("keywords_source", given.isEmpty() ? "derived" : "given");
    List<float[]> segmentVectors = embedder.embedAll(segments.stream().map(Segment::text).toList());
    result.put("dimensions", segmentVectors.get(0).length);
    ArrayNode segmentNodes = result.putArray("segments");
    for (Segment segment : segments) {
      segmentNodes.addObject().put("index", segment.index()).put("heading", segment.heading())
          .put("text", segment.text()).put("word_count", Text.wordCount(segment.text()))
          .set("vector", Vectors.json(segmentVectors.get(segment.index())));
    }
    List<float[]> keywordVectors = embedder.embedAll(keywords);
    ArrayNode keywordNodes = result.putArray("keywords");
    for (int i = 0; i < keywords.size(); i++) {
      keywordNodes.addObject().put("keyword", keywords.get(i)).set("vector", Vectors.json(keywordVectors.get(i)));
    }
    return result;
  }
}
