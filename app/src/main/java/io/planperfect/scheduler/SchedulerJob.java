package io.planperfect.scheduler;

import java.time.Instant;

/** One row of scheduler_jobs as the scheduler loop needs it; {@code nextRunAt} is null until a node computes it. */
public record SchedulerJob(
    String name,
    String schedule,
    String action,
    boolean enabled,
    int timeoutSeconds,
    Instant nextRunAt,
    Instant triggerRequestedAt) {}
