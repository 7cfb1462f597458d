package io.planperfect.engine;

import java.time.Duration;
import java.util.Optional;

/**
 * This node's free stage runners, as seen by a completing transition: when the job's next stage
 * has a free runner here, the transition that completes a stage also claims and begins the next
 * stage's attempt, and the runner starts it at once (one commit per stage).
 */
public interface NextStageRunners {
  NextStageRunners NONE = (queue, stage) -> Optional.empty();

  /** Takes a free runner of the stage on this node, or empty when it has none (or runs no such stage). */
  Optional<Runner> reserve(String queue, String stage);

  /** A reserved runner: exactly one of {@link #start} or {@link #release} must follow. */
  interface Runner {
    /** The visibility timeout this node claims the stage's messages with. */
    Duration visibility();

    /** This node's environment override of the stage's max_concurrency, or null. */
    Integer maxOverride();

    /** Runs the begun attempt on the reserved runner. */
    void start(StageAttempt attempt);

    /** Gives the runner back unused. */
    void release();
  }
}
