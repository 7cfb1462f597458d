package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.pipeline.StageContext;
import io.planperfect.pipeline.StageOutcome;
import java.util.Map;
import java.util.UUID;

/** Builds stage contexts and payloads for tests. */
public final class Contexts {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final UUID JOB = UUID.fromString("00000000-0000-0000-0000-000000000001");

  private Contexts() {}

  public static ObjectNode payload(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The result of an outcome that must be {@code Completed}. */
  public static ObjectNode completed(StageOutcome outcome) {
    if (!(outcome instanceof StageOutcome.Completed done)) {
      throw new AssertionError("expected the stage to complete, got " + outcome);
    }
    return done.result();
  }

  public static StageContext context(String pipeline, String stage, ObjectNode payload) {
    return context(pipeline, stage, payload, Map.of());
  }

  public static StageContext context(
      String pipeline, String stage, ObjectNode payload, Map<String, JsonNode> previous) {
    return new StageContext(JOB, pipeline, pipeline, stage, 1, payload, previous);
  }
}
