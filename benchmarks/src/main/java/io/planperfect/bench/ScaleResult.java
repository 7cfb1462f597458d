package io.planperfect.bench;

/** One node count's window: stage transitions per second, CPU use, load average, messages left waiting. */
record ScaleResult(int nodes, double transitionsPerSecond, CpuMeter.Usage usage, String loadAverage, long waitingAfter) {}
