package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** How one run ended: {@code success} with the action's summary, or {@code failed} / {@code timeout} with the error. */
public record RunOutcome(String status, long durationMs, ObjectNode result, String errorMessage, String errorClass) {
  public static RunOutcome success(long durationMs, ObjectNode result) {
    return new RunOutcome("success", durationMs, result, null, null);
  }

  public static RunOutcome failed(long durationMs, Throwable error) {
    String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    return new RunOutcome("failed", durationMs, null, message, error.getClass().getName());
  }

  public static RunOutcome timedOut(long durationMs, int timeoutSeconds) {
    return new RunOutcome("timeout", durationMs, null, "the run exceeded its timeout of " + timeoutSeconds + " s and was interrupted", null);
  }
}
