package io.planperfect.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.planperfect.engine.AttemptObserver;
import io.planperfect.engine.StageAttempt;
import io.planperfect.pipeline.ModelCall;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engine's meters, counted in memory as each attempt ends on this node: runs by outcome with the
 * handler's duration, hand-off latency, retries, dead letters, rejected acks, and the model calls'
 * tokens and cost (at prices read at most once a minute, see {@link ModelCosts}). Meters are made once
 * per (pipeline, stage, outcome) and kept, so an attempt costs a map lookup per meter.
 */
public final class StageRunMetrics implements AttemptObserver {
  static final Duration[] DURATION_BUCKETS = seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);
  static final Duration[] HANDOFF_BUCKETS = seconds(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300);

  private static final String[][] FAILURE_COUNTERS = {
      {"planperfect.stage.retries", "Failed attempts followed by another after the backoff"},
      {"planperfect.dead.letters", "Jobs dead-lettered by this node"},
      {"planperfect.stale.acks", "Results rejected because the lease was lost"}};

  private final MeterRegistry registry;
  private final ModelCosts costs;
  private final Map<List<String>, Timer> durations = new ConcurrentHashMap<>();
  private final Map<List<String>, Timer> handoffs = new ConcurrentHashMap<>();
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

  /**
   * The failure counters of every stage start at zero, so that a rule on {@code increase(...)} sees
   * the first dead letter of a stage (a series born at 1 has no increase).
   */
  public StageRunMetrics(MeterRegistry registry, ModelCosts costs, PipelineRegistry pipelines) {
    this.registry = registry;
    this.costs = costs;
    for (PipelineDefinition pipeline : pipelines.all()) {
      for (String stage : pipeline.stageNames()) {
        for (String[] counter : FAILURE_COUNTERS) {
          counter(counter[0], counter[1], pipeline.name(), stage);
        }
      }
    }
  }

  @Override
  public void started(StageAttempt attempt, Optional<Duration> waited) {
    waited.ifPresent(wait -> handoffs.computeIfAbsent(List.of(attempt.pipeline().name(), attempt.stage()), k ->
        Timer.builder("planperfect.stage.handoff")
            .description("From a message's send (the stage before committing, or the intake) to its first run's start")
            .tags("pipeline", k.get(0), "stage", k.get(1))
            .serviceLevelObjectives(HANDOFF_BUCKETS)
            .register(registry)).record(wait));
  }

  @Override
  public void ended(StageAttempt attempt, End end, Duration ran, List<ModelCall> calls) {
    String pipeline = attempt.pipeline().name();
    String stage = attempt.stage();
    count("planperfect.stage.runs", "Stage attempts ended on this node, by outcome", pipeline, stage, end.label());
    durations.computeIfAbsent(List.of(pipeline, stage, end.label()), k -> Timer.builder("planperfect.stage.duration")
            .description("The stage handler's run time, by outcome")
            .tags("pipeline", k.get(0), "stage", k.get(1), "outcome", k.get(2))
            .serviceLevelObjectives(DURATION_BUCKETS)
            .register(registry))
        .record(ran);
    switch (end) {
      case RETRY -> counter(FAILURE_COUNTERS[0][0], FAILURE_COUNTERS[0][1], pipeline, stage).increment();
      case DEAD_LETTERED -> counter(FAILURE_COUNTERS[1][0], FAILURE_COUNTERS[1][1], pipeline, stage).increment();
      case STALE_ACK -> counter(FAILURE_COUNTERS[2][0], FAILURE_COUNTERS[2][1], pipeline, stage).increment();
      default -> { }
    }
    if (end != End.STALE_ACK && end != End.ERROR) {
      // why not for those: their calls were not written to the usage ledger either
      calls.forEach(this::countCall);
    }
  }

  private Counter counter(String name, String description, String pipeline, String stage) {
    return counters.computeIfAbsent(List.of(name, pipeline, stage), k -> Counter.builder(name).description(description)
        .tags("pipeline", pipeline, "stage", stage).register(registry));
  }

  private void count(String name, String description, String pipeline, String stage, String outcome) {
    counters.computeIfAbsent(List.of(name, pipeline, stage, outcome), k -> Counter.builder(name).description(description)
        .tags("pipeline", pipeline, "stage", stage, "outcome", outcome).register(registry)).increment();
  }

  private void countCall(ModelCall call) {
    String provider = call.provider();
    String model = call.model();
    counters.computeIfAbsent(List.of("calls", provider, model, call.outcome()), k -> Counter.builder("planperfect.llm.calls")
        .description("Model calls made by stages on this node, by outcome")
        .tags("provider", provider, "model", model, "outcome", k.get(3)).register(registry)).increment();
    tokens(provider, model, "input").increment(call.inputTokens());
    tokens(provider, model, "output").increment(call.outputTokens());
    double cost = costs.costUsd(provider, model, call.inputTokens(), call.outputTokens());
    if (cost > 0) {
      counters.computeIfAbsent(List.of("cost", provider, model), k -> Counter.builder("planperfect.llm.cost.usd")
          .description("What the model calls cost, at the prices in llm_prices")
          .tags("provider", provider, "model", model).register(registry)).increment(cost);
    }
  }

  private Counter tokens(String provider, String model, String direction) {
    return counters.computeIfAbsent(List.of("tokens", provider, model, direction), k -> Counter.builder("planperfect.llm.tokens")
        .description("Tokens the providers counted for this node's model calls")
        .tags("provider", provider, "model", model, "direction", direction).register(registry));
  }

  private static Duration[] seconds(double... values) {
    Duration[] buckets = new Duration[values.length];
    for (int i = 0; i < values.length; i++) {
      buckets[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
    }
    return buckets;
  }
}
