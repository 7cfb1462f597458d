package io.planperfect.stages.content;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.EarlierResults;

/**
 * One article job as a stage sees it: each earlier result comes from the stored results when
 * present and is otherwise computed from the payload with the code of the stage that makes it.
 */
final class ArticleJob {
  private final ArticleInputs inputs;
  private final EarlierResults earlier;

  private ArticleJob(ArticleInputs inputs, EarlierResults earlier) {
    this.inputs = inputs;
    this.earlier = earlier;
  }

  static ArticleJob of(StageContext context) {
    return new ArticleJob(
        ArticleInputs.from(context.jobPayload()), new EarlierResults(context.previousResults()));
  }

  ArticleInputs inputs() {
    return inputs;
  }

  boolean hasStored(String stage) {
    return earlier.isStored(stage);
  }

  JsonNode research() {
    return earlier.get("research", "keyword_facts", () -> ResearchStage.build(inputs));
  }

  JsonNode outline() {
    return earlier.get("outline", "sections", () -> OutlineStage.build(inputs, research()));
  }

  JsonNode draft() {
    return earlier.get("draft", "markdown", () -> DraftStage.build(inputs, outline()));
  }

  /** The draft to publish: QA's redraft when it made one, else the draft stage's. */
  JsonNode finalDraft() {
    JsonNode redraft = qa().path("draft");
    return redraft.hasNonNull("markdown") ? redraft : draft();
  }

  JsonNode qa() {
    return earlier.get("qa", "passed", () -> QaStage.build(inputs, draft()));
  }

  JsonNode export() {
    return earlier.get("export", "html", () -> ExportStage.build(inputs, finalDraft()));
  }
}
