package io.planperfect.stages;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.ai.ModelFailure;
import io.planperfect.ai.ModelPrompt;
import io.planperfect.ai.ModelReply;
import io.planperfect.ai.TextModel;
import io.planperfect.pipeline.ModelAdmission;
import io.planperfect.pipeline.ModelCall;
import io.planperfect.pipeline.ModelUsage;
import io.planperfect.pipeline.PermanentStageFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * One attempt's calls to its model. Each call is admitted first (budgets and limits shared by
 * every node) and recorded in the attempt's usage, answered or not. What a failure becomes:
 * <ul>
 *   <li>a limit or budget, a 429 or a 5xx: {@link ModelWait} (the provider's Retry-After, else
 *       {@link #DEFAULT_WAIT}): the stage waits, no attempt spent;</li>
 *   <li>a timeout: the {@link ModelFailure} itself, a failed attempt retried by the stage's policy;</li>
 *   <li>400, 401, 403, 404 or the job's cost cap: {@link PermanentStageFailure}, the dead letters,
 *       with the provider's message (no key in it).</li>
 * </ul>
 */
public final class ModelSession {
  /** How long a stage waits after a 429 or 5xx that named no Retry-After. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);

  private final TextModel model;
  private final ModelUsage usage;

  ModelSession(TextModel model, ModelUsage usage) {
    this.model = model;
    this.usage = usage;
  }

  /** The text the model answers to the prompt. */
  public String ask(String promptId, ModelPrompt prompt) {
    return ask(promptId, prompt, answer -> List.of());
  }

  /**
   * The model's answer and what {@code check} finds wrong with it; an answer with problems is
   * recorded in the ledger as {@code invalid_output} with them (the tokens were spent all the same).
   */
  public Checked askChecked(String promptId, ModelPrompt prompt, Function<String, List<String>> check) {
    List<List<String>> found = new ArrayList<>();
    String answer = ask(promptId, prompt, text -> {
      List<String> problems = check.apply(text);
      found.add(problems);
      return problems;
    });
    return new Checked(answer, found.get(0));
  }

  /** An answer with the problems its check found (empty when it is usable). */
  public record Checked(String answer, List<String> problems) {}

  private String ask(String promptId, ModelPrompt prompt, Function<String, List<String>> check) {
    long estimate = (prompt.system().length() + prompt.user().length()) / 4 + prompt.maxOutputTokens();
    ModelAdmission admission = usage.admit(model.provider(), estimate);
    if (admission instanceof ModelAdmission.Wait wait) {
      throw new ModelWait(wait.delay(), wait.reason());
    }
    if (admission instanceof ModelAdmission.Refuse refuse) {
      throw new PermanentStageFailure(refuse.reason());
    }
    long started = System.nanoTime();
    try {
      ModelReply reply = model.complete(prompt);
      List<String> problems = check.apply(reply.text());
      usage.record(new ModelCall(model.provider(), model.model(), promptId, reply.inputTokens(), reply.outputTokens(),
          reply.latency().toMillis(), problems.isEmpty() ? "ok" : "invalid_output",
          problems.isEmpty() ? null : String.join("; ", problems)));
      return reply.text();
    } catch (ModelFailure failure) {
      usage.record(new ModelCall(model.provider(), model.model(), promptId, 0, 0,
          Duration.ofNanos(System.nanoTime() - started).toMillis(), failure.outcome(), failure.getMessage()));
      throw switch (failure.kind()) {
        case RATE_LIMITED, UNAVAILABLE -> new ModelWait(failure.retryAfter().orElse(DEFAULT_WAIT), failure.getMessage());
        case REJECTED -> new PermanentStageFailure(failure.getMessage());
        case TIMEOUT -> failure;
      };
    }
  }

  /** What the stage result stores of the model: provider, model and prompt version. */
  public ObjectNode describe(String promptId) {
    return Json.object().put("provider", model.provider()).put("model", model.model()).put("prompt_version", promptId);
  }
}
