package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.CompletingStage;

/** Writes the article as markdown following the outline (planned here when none is stored). */
public final class DraftStage implements CompletingStage {

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    return build(job.inputs(), job.outline());
  }

  static ObjectNode build(ArticleInputs inputs, JsonNode outline) {
    return new DraftComposer(inputs).compose(outline);
  }
}
