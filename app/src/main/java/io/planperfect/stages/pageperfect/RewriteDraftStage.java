package io.planperfect.stages.pageperfect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.Json;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.StageModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * rewrite_draft: a rewrite plan and draft sections for the gaps, written by the stage's model when one
 * is configured ({@link ModelPageRewriter}; the result names the model and prompt version under
 * {@code model}), else by the pipeline's {@link PageRewriter} (offline). When gap_analysis was skipped,
 * the gaps are computed here the same way.
 */
final class RewriteDraftStage implements CompletingStage {
  private final StageModel model;
  private final PageRewriter offline;

  RewriteDraftStage(StageModel model, PageRewriter offline) {
    this.model = model;
    this.offline = offline;
  }

  @Override
  public ObjectNode result(StageContext context) {
    JsonNode gaps = context.result("gap_analysis");
    if (gaps == null) {
      gaps = GapAnalysisStage.analyse(context);
    }
    JsonNode crawl = context.result("wait_crawl");
    JsonNode embedded = KeywordClusteringStage.embedded(context);
    RewriteBrief brief = brief(crawl, embedded, gaps);
    Optional<ModelSession> session = model.open(context);
    ObjectNode result = session.isEmpty() ? offline.rewrite(brief) : new ModelPageRewriter(session.get()).rewrite(brief);
    session.ifPresent(s -> result.set("model", s.describe(ModelPageRewriter.PROMPT.id())));
    result.put("page_coverage", gaps.path("page_coverage").asDouble());
    return result;
  }

  static RewriteBrief brief(JsonNode crawl, JsonNode embedded, JsonNode gaps) {
    List<String> headings = new ArrayList<>();
    crawl.path("headings").forEach(h -> headings.add(h.path("text").asText()));
    List<RewriteBrief.Topic> missing = new ArrayList<>();
    List<RewriteBrief.Topic> covered = new ArrayList<>();
    for (JsonNode cluster : gaps.path("clusters")) {
      RewriteBrief.Topic topic = new RewriteBrief.Topic(cluster.path("name").asText(), Json.textList(cluster.path("keywords")),
          cluster.path("coverage").asDouble(), cluster.path("best_segments").path(0).path("heading").asText(""));
      (cluster.path("gap").asBoolean() ? missing : covered).add(topic);
    }
    List<String> keywords = new ArrayList<>();
    embedded.path("keywords").forEach(k -> keywords.add(k.path("keyword").asText()));
    return new RewriteBrief(crawl.path("final_url").asText(), crawl.path("title").asText(""),
        crawl.path("meta_description").asText(""), headings, missing, covered, keywords,
        gaps.path("threshold").asDouble());
  }
}
