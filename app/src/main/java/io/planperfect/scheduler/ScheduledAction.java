package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The work behind one scheduler job (seed 003's {@code trigger_*} functions): the sweeper, the
 * monitor, metrics, health checks, cleanup, the dispatcher. A run that throws is recorded as
 * failed with the error's message; one that outlives its job's timeout is interrupted.
 */
@FunctionalInterface
public interface ScheduledAction {
  /** Runs once and returns a short JSON summary, stored in the run's {@code job_runs.metadata.result}. */
  ObjectNode run(RunContext run) throws Exception;
}
