package io.planperfect.engine;

import io.planperfect.pipeline.ModelCall;
import java.time.Duration;
import java.util.List;

/**
 * What the engine tells about the attempts it runs, for a node's metrics (a class above the engine
 * implements it; the node wires it in). Called on the runner's thread, after the attempt's own
 * transaction: an implementation counts in memory, never queries, and never throws.
 */
public interface AttemptObserver {
  AttemptObserver NONE = new AttemptObserver() {};

  /** How an attempt ended. */
  enum End {
    /** The result is stored and the job moved on (or finished). */
    COMPLETED,
    /** The stage answered RetryLater: the message comes back after a delay, no attempt counted. */
    WAITING,
    /** The run failed and another attempt is scheduled after the backoff. */
    RETRY,
    /** The run failed for good (or its earlier runs never finished): the job is dead-lettered. */
    DEAD_LETTERED,
    /** The lease was lost while it ran: its result was rejected and not applied. */
    STALE_ACK,
    /** The end could not be recorded (the database failed): the message returns after its visibility. */
    ERROR;

    /** The label value, in lower case. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * An attempt is about to run; {@code waited} is how long its message waited since it was sent
   * (the hand-off from the stage before, or the intake), given for its first delivery only.
   */
  default void started(StageAttempt attempt, java.util.Optional<Duration> waited) {}

  /** An attempt ended; {@code ran} is the handler's time (zero when it did not run), {@code calls} its model calls. */
  default void ended(StageAttempt attempt, End end, Duration ran, List<ModelCall> calls) {}
}
