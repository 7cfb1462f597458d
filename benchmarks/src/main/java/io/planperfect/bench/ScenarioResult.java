package io.planperfect.bench;

/** What one scenario achieved at one depth. */
record ScenarioResult(Scenario scenario, long depth, double seconds, long operations, long messages, long errors,
                      double p50Millis, double p99Millis) {

  double operationsPerSecond() {
    return operations / seconds;
  }

  double messagesPerSecond() {
    return messages / seconds;
  }
}
