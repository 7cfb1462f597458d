package io.planperfect.bench;

/**
 * What one group of SSE clients saw in a run: the commit → event latencies of the completed events,
 * every event received (frames), the streams the server ended before an "end" event (dropped) and
 * after one (finished: a job stream whose job ended), the most open at once, the streams not opened
 * because the group's cap was reached, and completed events whose commit was not seen.
 */
record SseGroupResult(LatencyRecorder latencies, long frames, int dropped, int finished, int mostOpen, int skipped,
    long unmatched) {}
