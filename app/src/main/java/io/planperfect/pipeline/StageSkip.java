package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Whether a job passes over a stage, judged on the job's payload (its options included, such as
 * seed 002's {@code skipSteps} or seed 004's {@code skipQualityCheck}) when the job reaches the
 * stage. A skipped stage is marked {@code skipped} with an event and counts as done in progress.
 */
@FunctionalInterface
public interface StageSkip {
  StageSkip NEVER = payload -> false;

  boolean skips(ObjectNode payload);
}
