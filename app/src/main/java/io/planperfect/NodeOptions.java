package io.planperfect;

import io.planperfect.dispatch.StageLimits;
import io.planperfect.engine.StageHooks;
import io.planperfect.worker.StageFilter;
import java.util.Map;

/**
 * What kind of node to start: which stages it works, whether it serves HTTP, and its
 * environment overrides of stage limits. {@code serve} is every stage with HTTP; {@code worker}
 * is the named stages without HTTP. {@code hooks} are for fault tests only ({@link StageHooks}).
 */
public record NodeOptions(StageFilter stages, boolean http, StageLimits limits, StageHooks hooks) {

  public NodeOptions(StageFilter stages, boolean http, StageLimits limits) {
    this(stages, http, limits, StageHooks.NONE);
  }

  public NodeOptions withHooks(StageHooks hooks) {
    return new NodeOptions(stages, http, limits, hooks);
  }

  public static NodeOptions serve(Map<String, String> env) {
    return new NodeOptions(StageFilter.ALL, true, StageLimits.fromEnvironment(env));
  }

  public static NodeOptions worker(StageFilter stages, Map<String, String> env) {
    return new NodeOptions(stages, false, StageLimits.fromEnvironment(env));
  }
}
