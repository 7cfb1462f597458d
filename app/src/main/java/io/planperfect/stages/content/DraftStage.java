package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.StageModel;
import java.util.Optional;

/**
 * Writes the article as markdown following the outline (planned here when none is stored): section
 * by section with the stage's model when one is configured ({@link ModelDraft}), else offline.
 */
public final class DraftStage implements CompletingStage {
  private final StageModel model;

  public DraftStage(StageModel model) {
    this.model = model;
  }

  public DraftStage() {
    this(StageModel.offline());
  }

  @Override
  public ObjectNode result(StageContext context) {
    ArticleJob job = ArticleJob.of(context);
    Optional<ModelSession> session = model.open(context);
    return session.isPresent()
        ? new ModelDraft(job.inputs(), session.get(), null).compose(job.outline())
        : build(job.inputs(), job.outline());
  }

  static ObjectNode build(ArticleInputs inputs, JsonNode outline) {
    return new DraftComposer(inputs).compose(outline);
  }
}
