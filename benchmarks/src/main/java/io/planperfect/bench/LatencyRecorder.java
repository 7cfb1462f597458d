package io.planperfect.bench;

import org.HdrHistogram.Histogram;

/**
 * Latencies of one client thread (microsecond resolution, 3 significant digits); merged into
 * one recorder per scenario when the clients are done.
 */
final class LatencyRecorder {
  private final Histogram histogram = new Histogram(3);

  void record(long nanos) {
    histogram.recordValue(Math.max(1, nanos / 1_000));
  }

  void add(LatencyRecorder other) {
    histogram.add(other.histogram);
  }

  long count() {
    return histogram.getTotalCount();
  }

  double maxMillis() {
    return histogram.getMaxValue() / 1_000.0;
  }

  double percentileMillis(double percentile) {
    return histogram.getValueAtPercentile(percentile) / 1_000.0;
  }
}
