package io.planperfect.stages;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.planperfect.ai.ModelPrompt;
import java.util.List;
import java.util.function.Function;

/**
 * A model's JSON answer, asked again with its checker's complaints fed back at most
 * {@code maxCorrections} times (the outline stage's pattern); still invalid after that, the attempt
 * fails and the stage's retry policy takes over. A code fence around the JSON is tolerated.
 */
public final class JsonAnswer {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonAnswer() {}

  /** The answer as JSON, or null when it is not JSON at all. */
  public static JsonNode parse(String answer) {
    String text = answer.strip();
    if (text.startsWith("```")) {
      text = text.replaceFirst("^```[a-zA-Z]*\\s*", "").replaceFirst("\\s*```$", "");
    }
    try {
      return MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * The first answer whose JSON object {@code check} finds nothing wrong with; {@code what} names the
   * answer in the failure ("the page's components").
   */
  public static JsonNode ask(ModelSession session, String promptId, ModelPrompt prompt,
      Function<JsonNode, List<String>> check, int maxCorrections, String what) {
    Function<String, List<String>> checkText = answer -> {
      JsonNode json = parse(answer);
      return json == null || !json.isObject() ? List.of("the answer is not a JSON object") : check.apply(json);
    };
    List<String> problems = List.of();
    for (int ask = 0; ask <= maxCorrections; ask++) {
      ModelSession.Checked answer = session.askChecked(promptId, ask == 0 ? prompt : corrected(prompt, problems), checkText);
      problems = answer.problems();
      if (problems.isEmpty()) {
        return parse(answer.answer());
      }
    }
    throw new IllegalStateException(what + " from the model did not meet the schema after " + (maxCorrections + 1)
        + " answers: " + String.join("; ", problems));
  }

  private static ModelPrompt corrected(ModelPrompt prompt, List<String> problems) {
    return new ModelPrompt(prompt.system(), prompt.user() + "\n\nYour previous answer was not valid: "
        + String.join("; ", problems) + ". Answer again with the JSON object only.", prompt.maxOutputTokens());
  }
}
