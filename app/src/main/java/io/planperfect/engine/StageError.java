package io.planperfect.engine;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import java.util.Arrays;

/** The last_error document of a failed attempt: message, class, a short stack and the attempt. */
final class StageError {
  private static final int STACK_FRAMES = 8;

  private StageError() {}

  static ObjectNode describe(Throwable error, int attempt) {
    ObjectNode node = Json.object();
    node.put("message", String.valueOf(error.getMessage()));
    node.put("class", error.getClass().getName());
    node.put("attempt", attempt);
    ArrayNode stack = node.putArray("stack");
    Arrays.stream(error.getStackTrace()).limit(STACK_FRAMES).map(StackTraceElement::toString).forEach(stack::add);
    if (error.getCause() != null) {
      node.put("cause", error.getCause().getClass().getName() + ": " + error.getCause().getMessage());
    }
    return node;
  }
}
