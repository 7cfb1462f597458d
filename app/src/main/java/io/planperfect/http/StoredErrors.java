package io.planperfect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.Iterator;
import java.util.Set;

/**
 * What a caller is shown of a stage's stored error ({@code last_error}, an error event's metadata):
 * the service key sees it whole, the anon key (and its dashboard session) its message and class only,
 * never stack frames or the cause. A stored error is recognised by its {@code class} and
 * {@code stack} fields, wherever it sits in an answer.
 */
final class StoredErrors {
  private static final Set<String> SHOWN_TO_ANON = Set.of("message", "class");

  private StoredErrors() {}

  /** The answer as the request's caller may see it (shortened in place for any key but the service key). */
  static <T extends JsonNode> T forCaller(Context ctx, T answer) {
    return ctx.attribute(ApiServer.ACCESS) == Access.SERVICE ? answer : shortened(answer);
  }

  /** Every stored error inside the answer cut down to its message and class, in place. */
  static <T extends JsonNode> T shortened(T answer) {
    if (answer instanceof ObjectNode object && object.has("stack") && object.has("class")) {
      object.retain(SHOWN_TO_ANON);
      return answer;
    }
    for (Iterator<JsonNode> children = answer.elements(); children.hasNext(); ) {
      shortened(children.next());
    }
    return answer;
  }
}
