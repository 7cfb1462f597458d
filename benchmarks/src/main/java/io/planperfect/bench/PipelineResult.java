package io.planperfect.bench;

/**
 * One pipeline scenario's figures: handoffs from job_events (and their split at the claim), handoffs
 * between the handlers themselves, whole jobs, and completion rates.
 */
record PipelineResult(String scenario, int jobs, LatencySummary handoffs, PipelineStats.HandoffParts handoffParts,
                      HandlerClock.Handoffs handlerHandoffs, LatencySummary endToEnd, PipelineStats.Throughput throughput) {}
