package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The results of earlier stages as one stage sees them: a stored result is used when it has the
 * field the caller relies on; otherwise the result is computed once and kept, so a job that
 * starts later in its pipeline still has everything it needs.
 */
public final class EarlierResults {
  private final Map<String, JsonNode> stored;
  private final Map<String, JsonNode> computed = new HashMap<>();

  public EarlierResults(Map<String, JsonNode> stored) {
    this.stored = stored == null ? Map.of() : stored;
  }

  public boolean isStored(String stage) {
    return stored.get(stage) != null;
  }

  public JsonNode get(String stage, String requiredField, Supplier<JsonNode> compute) {
    JsonNode result = stored.get(stage);
    if (result != null && result.hasNonNull(requiredField)) {
      return result;
    }
    // why: not computeIfAbsent, because computing one result fills in the ones it depends on.
    JsonNode cached = computed.get(stage);
    if (cached == null) {
      cached = compute.get();
      computed.put(stage, cached);
    }
    return cached;
  }
}
