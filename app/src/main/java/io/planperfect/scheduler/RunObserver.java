package io.planperfect.scheduler;

/**
 * What the scheduler tells about the runs it ends on this node, for a node's metrics (a class above
 * the scheduler implements it). Called on the run's thread: counts in memory and never throws.
 */
@FunctionalInterface
public interface RunObserver {
  RunObserver NONE = (jobName, outcome) -> {};

  void finished(String jobName, RunOutcome outcome);
}
