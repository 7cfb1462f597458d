package io.planperfect.bench;

import java.util.List;

/** One minute of a soak: jobs finished per second, stage completions per second and the event handoff p50/p99. */
record SoakMinute(int minute, double jobsPerSecond, double stageCompletionsPerSecond, long handoffs, double p50Millis,
                  double p99Millis) {

  /**
   * Least-squares slope of {@code y} over the minute index, per minute; with fewer than two
   * points there is no trend and the slope is 0.
   */
  static double slope(List<SoakMinute> minutes, java.util.function.ToDoubleFunction<SoakMinute> y) {
    int n = minutes.size();
    if (n < 2) {
      return 0;
    }
    double meanX = minutes.stream().mapToDouble(SoakMinute::minute).average().orElse(0);
    double meanY = minutes.stream().mapToDouble(y).average().orElse(0);
    double num = 0;
    double den = 0;
    for (SoakMinute m : minutes) {
      num += (m.minute() - meanX) * (y.applyAsDouble(m) - meanY);
      den += (m.minute() - meanX) * (m.minute() - meanX);
    }
    return num / den;
  }
}
