package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.stages.Json;
import java.util.List;

/** Summarises the finished article job; the engine itself marks the job completed. */
public final class CompleteStage implements CompletingStage {
  private static final List<String> EARLIER_STAGES = List.of("research", "outline", "draft", "qa", "export");

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    ArrayNode stagesCompleted = Json.array();
    EARLIER_STAGES.stream().filter(job::hasStored).forEach(stagesCompleted::add);

    ObjectNode summary = Json.object();
    summary.put("completed", true);
    summary.set("stages_completed", stagesCompleted);
    summary.put("word_count", job.finalDraft().path("word_count").asInt());
    summary.put("html_length", job.export().path("html").asText().length());
    summary.put("qa_passed", job.qa().path("passed").asBoolean());
    return summary;
  }
}
