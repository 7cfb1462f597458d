package io.planperfect;

import io.planperfect.dispatch.StageLimits;
import io.planperfect.engine.StageHooks;
import io.planperfect.worker.StageFilter;
import java.util.Map;

/**
 * What kind of node to start: which stages it works, whether it serves HTTP, and its
 * environment overrides of stage limits. {@code serve} is every stage with HTTP; {@code worker}
 * is the named stages without HTTP. {@code hooks} are for fault tests only ({@link StageHooks});
 * so is switching off {@code chainedHandoffs}, which wake-up tests do to see their mechanism alone.
 */
public record NodeOptions(StageFilter stages, boolean http, StageLimits limits, StageHooks hooks, boolean chainedHandoffs) {

  public NodeOptions(StageFilter stages, boolean http, StageLimits limits) {
    this(stages, http, limits, StageHooks.NONE, true);
  }

  public NodeOptions withHooks(StageHooks hooks) {
    return new NodeOptions(stages, http, limits, hooks, chainedHandoffs);
  }

  /** A completing transition never begins the next stage here: every next stage waits for a claim loop. */
  public NodeOptions withoutChainedHandoffs() {
    return new NodeOptions(stages, http, limits, hooks, false);
  }

  public static NodeOptions serve(Map<String, String> env) {
    return new NodeOptions(StageFilter.ALL, true, StageLimits.fromEnvironment(env));
  }

  public static NodeOptions worker(StageFilter stages, Map<String, String> env) {
    return new NodeOptions(stages, false, StageLimits.fromEnvironment(env));
  }
}
