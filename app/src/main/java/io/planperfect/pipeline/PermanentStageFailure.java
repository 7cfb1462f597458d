package io.planperfect.pipeline;

/**
 * A failure that retrying cannot fix (for example invalid input): the engine dead-letters the
 * job at once instead of scheduling another attempt.
 */
public class PermanentStageFailure extends RuntimeException {
  public PermanentStageFailure(String message) {
    super(message);
  }
}
