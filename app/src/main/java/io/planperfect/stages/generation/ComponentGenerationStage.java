package io.planperfect.stages.generation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.CompletingStage;
import io.planperfect.pipeline.StageContext;
import io.planperfect.stages.ModelSession;
import io.planperfect.stages.StageModel;
import java.util.Optional;

/**
 * Writes the page's title, meta description, intro, body blocks and FAQ: through the stage's model
 * when one is configured ({@link ModelComponentWriter}; the result names the model and prompt
 * version under {@code model}), else through the pipeline's {@link ComponentWriter} (offline).
 */
final class ComponentGenerationStage implements CompletingStage {
  private final StageModel model;
  private final ComponentWriter offline;
  private final TargetPageSource pages;

  ComponentGenerationStage(StageModel model, ComponentWriter offline, TargetPageSource pages) {
    this.model = model;
    this.offline = offline;
    this.pages = pages;
  }

  @Override
  public ObjectNode result(StageContext context) throws Exception {
    GenerationRequest request = GenerationRequest.of(context.jobPayload());
    JsonNode built = context.result("context-building");
    JsonNode pageContext = built != null ? built : ContextBuildingStage.build(request, pages);
    PageBrief brief = new PageBrief(request.pageType(), request.subject(), request.keywords(), request.language(),
        request.brandVoice(), pageContext);
    Optional<ModelSession> session = model.open(context);
    if (session.isEmpty()) {
      return offline.write(brief).toJson();
    }
    ObjectNode result = new ModelComponentWriter(session.get()).write(brief).toJson();
    result.set("model", session.get().describe(ModelComponentWriter.PROMPT.id()));
    return result;
  }
}
