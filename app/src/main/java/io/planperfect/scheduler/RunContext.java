package io.planperfect.scheduler;

import java.time.Instant;

/**
 * One run of a scheduler job: which job, why it runs ({@code scheduled} or {@code manual}, the
 * seed's {@code trigger_type}), and for scheduled runs the due time it was claimed for.
 * Actions copy {@code triggerType} into the metadata of the result rows they write.
 */
public record RunContext(long runId, String jobName, String triggerType, Instant scheduledFor) {
  public static final String SCHEDULED = "scheduled";
  public static final String MANUAL = "manual";
}
