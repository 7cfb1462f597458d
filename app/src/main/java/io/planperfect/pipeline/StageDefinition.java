package io.planperfect.pipeline;

import java.util.Objects;

/**
 * One stage of a pipeline: its name, the handler that does its work, and its own retry settings
 * (unset ones come from the pipeline's; a stage config row or the job may override them).
 */
public record StageDefinition(String name, StageHandler handler, RetrySettings retry) {
  public StageDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(retry, "retry");
  }

  public StageDefinition(String name, StageHandler handler) {
    this(name, handler, RetrySettings.NONE);
  }

  public StageDefinition withRetry(RetrySettings settings) {
    return new StageDefinition(name, handler, settings);
  }

  public StageDefinition withHandler(StageHandler other) {
    return new StageDefinition(name, other, retry);
  }
}
