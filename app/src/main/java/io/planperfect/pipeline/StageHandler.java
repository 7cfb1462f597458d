package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The work of one stage. It reads the job's inputs and earlier stages' results from the
 * context and returns this stage's result, which the engine stores as the stage payload in
 * the same transaction that moves the job on. Throwing means a failed attempt (retried by
 * policy); throwing {@link PermanentStageFailure} sends the job straight to the dead letters.
 *
 * <p>A handler may run more than once for the same job and stage (at-least-once delivery),
 * so it must not have effects outside its returned result that cannot be repeated.
 */
@FunctionalInterface
public interface StageHandler {
  ObjectNode run(StageContext context) throws Exception;
}
