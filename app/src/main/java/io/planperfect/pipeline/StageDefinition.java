package io.planperfect.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * One stage of a pipeline: its name, the handler that does its work, its own retry settings
 * (unset ones come from the pipeline's; a stage config row or the job may override them), when a
 * job passes over it, and how long in all a run may keep answering {@code RetryLater} before the
 * attempt fails.
 */
public record StageDefinition(String name, StageHandler handler, RetrySettings retry, StageSkip skip, Duration maxWait) {
  /** How long a stage may keep asking to be run later, unless its definition says otherwise. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);

  public StageDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(skip, "skip");
    Objects.requireNonNull(maxWait, "maxWait");
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative, got " + maxWait);
    }
  }

  public StageDefinition(String name, StageHandler handler, RetrySettings retry) {
    this(name, handler, retry, StageSkip.NEVER, DEFAULT_MAX_WAIT);
  }

  public StageDefinition(String name, StageHandler handler) {
    this(name, handler, RetrySettings.NONE);
  }

  public StageDefinition withRetry(RetrySettings settings) {
    return new StageDefinition(name, handler, settings, skip, maxWait);
  }

  public StageDefinition withHandler(StageHandler other) {
    return new StageDefinition(name, other, retry, skip, maxWait);
  }

  /** This stage, passed over by every job whose payload the predicate holds for. */
  public StageDefinition skippedWhen(StageSkip predicate) {
    return new StageDefinition(name, handler, retry, predicate, maxWait);
  }

  public StageDefinition withMaxWait(Duration wait) {
    return new StageDefinition(name, handler, retry, skip, wait);
  }
}
