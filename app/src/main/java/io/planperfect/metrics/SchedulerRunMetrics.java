package io.planperfect.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planperfect.scheduler.RunObserver;
import io.planperfect.scheduler.RunOutcome;
import java.time.Duration;

/** The scheduler's meter: runs ended on this node by job and outcome ({@code success}, {@code failed}, {@code timeout}), with their time. */
public final class SchedulerRunMetrics implements RunObserver {
  private final MeterRegistry registry;

  public SchedulerRunMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void finished(String jobName, RunOutcome outcome) {
    // why the builder each time: a few runs a minute, and the registry keeps one meter per tag set
    Timer.builder("planperfect.scheduler.runs")
        .description("Scheduled runs ended on this node, by job and outcome")
        .tags("job", jobName, "outcome", outcome.status())
        .register(registry)
        .record(Duration.ofMillis(outcome.durationMs()));
  }
}
