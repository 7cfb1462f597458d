package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A stage that completes with its result whenever it does not throw (most stages): it writes
 * {@link #result} and never needs to ask for a later run.
 */
@FunctionalInterface
public interface CompletingStage extends StageHandler {
  ObjectNode result(StageContext context) throws Exception;

  @Override
  default StageOutcome run(StageContext context) throws Exception {
    return StageOutcome.completed(result(context));
  }
}
