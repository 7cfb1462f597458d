package io.planperfect.engine;

import io.planperfect.pipeline.StageOutcome;

/**
 * A stage kept answering {@code RetryLater} for longer than its definition's maximum wait: the
 * attempt fails (and is retried or dead-lettered by policy) instead of waiting forever.
 */
public final class StageWaitExceeded extends RuntimeException {
  StageWaitExceeded(StageAttempt attempt, StageOutcome.RetryLater last) {
    super("stage " + attempt.stage() + " waited longer than its maximum of "
        + attempt.pipeline().stage(attempt.stage()).maxWait().toSeconds() + " s (last reason: " + last.reason() + ")");
  }
}
