package io.planperfect.dispatch;

import io.planperfect.dispatch.DispatchReport.Dispatch;
import io.planperfect.dispatch.DispatchReport.DispatchError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 000's dispatch cycle: for every enabled stage with ready messages and free slots, wake
 * the in-process workers, or trigger the stage's remote worker endpoint up to the free slots
 * and {@code trigger_batch_size}. In-process work is already event-driven (claim loops wake on
 * sends and freed slots); the cycle runs on a one-second timer as the fallback, and on demand.
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

  private final StageConfigRepository configs;
  private final StageLimits limits;
  private final LocalStages local;
  private final WorkerEndpointClient endpoints;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "pp-dispatcher");
    thread.setDaemon(true);
    return thread;
  });

  public Dispatcher(StageConfigRepository configs, StageLimits limits, LocalStages local, WorkerEndpointClient endpoints) {
    this.configs = configs;
    this.limits = limits;
    this.local = local;
    this.endpoints = endpoints;
  }

  public void start(Duration interval) {
    timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One dispatch cycle. */
  public DispatchReport runOnce() {
    long started = System.nanoTime();
    Map<String, StageBacklog> backlog = configs.dispatchable().stream()
        .collect(Collectors.toMap(b -> b.queue() + ":" + b.stage(), Function.identity()));
    List<Dispatch> dispatches = new ArrayList<>();
    List<DispatchError> errors = new ArrayList<>();
    for (StageConfig config : configs.list()) {
      StageBacklog stage = backlog.get(config.queue() + ":" + config.stage());
      int wanted = wanted(config, stage);
      if (wanted > 0) {
        int triggered = config.workerEndpoint() == null ? wakeLocal(config, wanted) : triggerRemote(config, wanted, errors);
        if (triggered > 0 || config.workerEndpoint() != null) {
          dispatches.add(new Dispatch(config.stage(), config.queue(), triggered));
        }
      }
    }
    return new DispatchReport("Dispatch cycle completed", dispatches, errors,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
  }

  /** Workers worth starting: ready messages, capped by the stage's free slots. */
  private int wanted(StageConfig config, StageBacklog backlog) {
    if (!config.enabled() || backlog == null || backlog.readyCount() == 0) {
      return 0;
    }
    int max = limits.overrideFor(config.queue(), config.stage()).orElse(config.maxConcurrency());
    long free = max - backlog.inFlightCount();
    return (int) Math.max(0, Math.min(backlog.readyCount(), free));
  }

  private int wakeLocal(StageConfig config, int wanted) {
    if (!local.runsLocally(config.queue(), config.stage())) {
      return 0;
    }
    local.wake(config.queue(), config.stage());
    return wanted;
  }

  private int triggerRemote(StageConfig config, int wanted, List<DispatchError> errors) {
    int triggered = 0;
    for (int i = 0; i < Math.min(wanted, config.triggerBatchSize()); i++) {
      try {
        int status = endpoints.trigger(config.workerEndpoint());
        if (status == 202) {
          triggered++;
        } else if (status == 204) {
          break;
        } else {
          errors.add(new DispatchError(config.stage(), config.queue(), "worker endpoint answered HTTP " + status));
          break;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (Exception e) {
        errors.add(new DispatchError(config.stage(), config.queue(), "worker endpoint failed: " + e));
        break;
      }
    }
    return triggered;
  }

  private void tick() {
    try {
      DispatchReport report = runOnce();
      report.errors().forEach(e -> log.warn("dispatch to {}:{} failed: {}", e.queue(), e.stage(), e.error()));
    } catch (RuntimeException e) {
      log.warn("dispatch cycle failed, next one in a second: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
