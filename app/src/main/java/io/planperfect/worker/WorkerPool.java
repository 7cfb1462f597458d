package io.planperfect.worker;

import io.planperfect.dispatch.LocalStages;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.dispatch.WorkerEndpoints;
import io.planperfect.engine.NextStageRunners;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.engine.StageClaims;
import io.planperfect.engine.StageExecutor;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueMessage;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every stage worker of a node, with their threads. Shutdown goes in order: stop claiming,
 * let running stages finish up to the grace period, release what is still running, then stop.
 */
public final class WorkerPool implements StageExecutor.RetryWakeups, LocalStages, WorkerEndpoints, NextStageRunners,
    AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkSignals signals;
  private final WorkAnnouncer announcer;
  private final Duration shutdownGrace;
  private final Map<String, StageWorker> workers = new LinkedHashMap<>();
  private final List<Thread> loops = new ArrayList<>();
  private final List<ExecutorService> runners = new ArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(named("pp-retry-timer", true));

  public WorkerPool(WorkSignals signals, WorkAnnouncer announcer, Duration shutdownGrace) {
    this.signals = signals;
    this.announcer = announcer;
    this.shutdownGrace = shutdownGrace;
  }

  /** Adds a claim loop and runner threads for each stage of the pipeline that the filter accepts. */
  public void addPipeline(PipelineDefinition pipeline, MessageQueue queue, StageClaims claims, StageExecutor executor,
      StageFilter filter, StageLimits limits, int concurrency, Duration visibility, Duration pollInterval) {
    for (String stage : pipeline.stageNames()) {
      if (!filter.accepts(pipeline.queue(), stage)) {
        continue;
      }
      ExecutorService stageRunners = Executors.newFixedThreadPool(concurrency,
          named("pp-" + pipeline.queue() + "-" + stage, false));
      runners.add(stageRunners);
      workers.put(key(pipeline.queue(), stage), new StageWorker(pipeline.queue(), stage, queue, claims, executor,
          signals.forStage(pipeline.queue(), stage), announcer, stageRunners, concurrency, visibility, pollInterval,
          limits.overrideFor(pipeline.queue(), stage).orElse(null)));
    }
  }

  public void start() {
    for (StageWorker worker : workers.values()) {
      Thread loop = named("pp-claim", true).newThread(worker);
      loops.add(loop);
      loop.start();
    }
  }

  /**
   * The claim loops ("queue:stage") that are not alive: never started, stopped, or not back from
   * their last pass for longer than {@code maxAge}. Empty when every loop turns.
   */
  public List<String> stalledLoops(Duration maxAge) {
    List<String> stalled = new ArrayList<>();
    int i = 0;
    for (StageWorker worker : workers.values()) {
      Thread loop = i < loops.size() ? loops.get(i) : null;
      if (loop == null || !loop.isAlive() || worker.sinceLastPass().compareTo(maxAge) > 0) {
        stalled.add(worker.name());
      }
      i++;
    }
    return stalled;
  }

  @Override
  public boolean runsLocally(String queue, String stage) {
    return workers.containsKey(key(queue, stage));
  }

  @Override
  public void wake(String queue, String stage) {
    signals.signal(queue, stage);
  }

  /** Claims one message of the stage for its HTTP worker endpoint and runs it here. */
  @Override
  public Optional<QueueMessage> runOneViaEndpoint(String queue, String stage) {
    StageWorker worker = workers.get(key(queue, stage));
    return worker == null ? Optional.empty() : worker.runOneViaEndpoint();
  }

  @Override
  public Optional<Runner> reserve(String queue, String stage) {
    StageWorker worker = workers.get(key(queue, stage));
    return worker == null ? Optional.empty() : worker.reserveRunner();
  }

  private static String key(String queue, String stage) {
    return queue + ":" + stage;
  }

  @Override
  public void wakeAfter(String queue, String stage, Duration delay) {
    timers.schedule(() -> announcer.announce(queue, stage), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    workers.values().forEach(StageWorker::stopClaiming);
    loops.forEach(Thread::interrupt);
    runners.forEach(ExecutorService::shutdown);
    awaitRunners(shutdownGrace);
    int released = workers.values().stream().mapToInt(StageWorker::releaseInFlight).sum();
    if (released > 0) {
      log.info("released {} unfinished stage messages for other nodes", released);
    }
    runners.forEach(ExecutorService::shutdownNow);
    awaitRunners(Duration.ofSeconds(2));
    timers.shutdownNow();
  }

  private void awaitRunners(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (ExecutorService pool : runners) {
      try {
        pool.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  static ThreadFactory named(String prefix, boolean daemon) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(daemon);
      return thread;
    };
  }
}
