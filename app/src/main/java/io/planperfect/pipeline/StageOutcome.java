package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Objects;

/**
 * What a stage handler reports when it returns (a failure is thrown, see {@link StageHandler}):
 * the stage is done with this result, or it must look again later without counting an attempt.
 */
public sealed interface StageOutcome {

  /** The stage is done; the engine stores the result and hands the job on, in one commit. */
  record Completed(ObjectNode result) implements StageOutcome {
    public Completed {
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * Not ready yet (a crawl still running elsewhere): run the stage again after {@code delay}. No
   * attempt is counted and a {@code waiting} event records the reason; waiting longer in all than
   * the stage's {@link StageDefinition#maxWait()} fails the attempt instead. A delay under a second
   * is taken as one second.
   */
  record RetryLater(Duration delay, String reason) implements StageOutcome {
    public RetryLater {
      Objects.requireNonNull(delay, "delay");
      Objects.requireNonNull(reason, "reason");
      if (delay.isNegative()) {
        throw new IllegalArgumentException("delay must not be negative, got " + delay);
      }
    }
  }

  static StageOutcome completed(ObjectNode result) {
    return new Completed(result);
  }

  static StageOutcome retryLater(Duration delay, String reason) {
    return new RetryLater(delay, reason);
  }
}
