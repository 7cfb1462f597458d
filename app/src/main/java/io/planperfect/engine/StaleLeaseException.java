package io.planperfect.engine;

/**
 * The message's lease no longer matches: another consumer holds it now (this run outlived its
 * visibility timeout) or it was released. The transition is rolled back and its result dropped.
 */
public final class StaleLeaseException extends RuntimeException {
  public StaleLeaseException(StageAttempt attempt) {
    super("lease lost, result not applied: " + attempt);
  }
}
