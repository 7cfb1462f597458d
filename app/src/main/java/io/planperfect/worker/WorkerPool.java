package io.planperfect.worker;

import io.planperfect.engine.PipelineDefinition;
import io.planperfect.engine.StageExecutor;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.WorkSignals;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
public final class WorkerPool implements StageExecutor.RetryWakeups, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkSignals signals;
  private final Duration shutdownGrace;
  private final List<StageWorker> workers = new ArrayList<>();
  private final List<Thread> loops = new ArrayList<>();
  private final List<ExecutorService> runners = new ArrayList<>();
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(named("pp-retry-timer", true));

  public WorkerPool(WorkSignals signals, Duration shutdownGrace) {
    this.signals = signals;
    this.shutdownGrace = shutdownGrace;
  }

  /** Adds a claim loop and runner threads for each stage of the pipeline. */
  public void addPipeline(PipelineDefinition pipeline, MessageQueue queue, StageExecutor executor,
      int concurrency, Duration visibility, Duration pollInterval) {
    for (String stage : pipeline.stageNames()) {
      ExecutorService stageRunners = Executors.newFixedThreadPool(concurrency,
          named("pp-" + pipeline.queue() + "-" + stage, false));
      runners.add(stageRunners);
      workers.add(new StageWorker(pipeline.queue(), stage, queue, executor, signals.forStage(pipeline.queue(), stage),
          stageRunners, concurrency, visibility, pollInterval));
    }
  }

  public void start() {
    for (StageWorker worker : workers) {
      Thread loop = named("pp-claim", true).newThread(worker);
      loops.add(loop);
      loop.start();
    }
  }

  @Override
  public void wakeAfter(String queue, String stage, Duration delay) {
    timers.schedule(() -> signals.signal(queue, stage), delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    workers.forEach(StageWorker::stopClaiming);
    loops.forEach(Thread::interrupt);
    runners.forEach(ExecutorService::shutdown);
    awaitRunners(shutdownGrace);
    int released = workers.stream().mapToInt(StageWorker::releaseInFlight).sum();
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
