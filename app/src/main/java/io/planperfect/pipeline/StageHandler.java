package io.planperfect.pipeline;

/**
 * The work of one stage. It reads the job's inputs and earlier stages' results from the context
 * and returns its {@link StageOutcome}: {@code Completed(result)}, which the engine stores as the
 * stage payload in the transaction that moves the job on, or {@code RetryLater(delay, reason)}.
 * Throwing means a failed attempt (retried by policy); throwing {@link PermanentStageFailure}
 * sends the job straight to the dead letters.
 *
 * <p>A handler may run more than once for the same job and stage (at-least-once delivery),
 * so it must not have effects outside its returned result that cannot be repeated.
 */
@FunctionalInterface
public interface StageHandler {
  StageOutcome run(StageContext context) throws Exception;
}
