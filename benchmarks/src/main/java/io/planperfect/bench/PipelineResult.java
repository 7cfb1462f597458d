package io.planperfect.bench;

/** One pipeline scenario's figures: handoffs, whole jobs, and completion rates. */
record PipelineResult(String scenario, int jobs, LatencySummary handoffs, PipelineStats.HandoffParts handoffParts, LatencySummary endToEnd,
                      PipelineStats.Throughput throughput) {}
