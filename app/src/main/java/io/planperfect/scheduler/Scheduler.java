package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.SchedulerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 003's cron, run by every node with no leader: each node reads scheduler_jobs a couple of
 * times a second and claims what is due with a compare-and-set in the database, so each due run
 * happens once however many nodes are up, and keeps happening while any one of them is.
 *
 * <p>Missed runs: a run found due within {@link #MISFIRE_GRACE} of its time runs for that time (a
 * busy node catches up tick by tick); one found later than that (every node was down) runs once,
 * and the job moves on to its next time after now. A job whose previous run is still going waits
 * for it. Manual triggers ({@code trigger_*()} in SQL, the HTTP API) run once, on whichever node
 * sees them first, even for a disabled job.
 */
public final class Scheduler implements AutoCloseable {
  static final Duration MISFIRE_GRACE = Duration.ofSeconds(10);
  private static final Duration BEAT_INTERVAL = Duration.ofSeconds(5);
  private static final long LIVENESS_SECONDS = 30;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final SchedulerJobs jobs;
  private final ClusterNodes node;
  private final Map<String, ScheduledAction> actions;
  private final SchedulerSettings settings;
  private final Map<String, CronSchedule> schedules = new HashMap<>();
  private final Map<String, String> badSchedules = new HashMap<>();
  private final ExecutorService runs = Executors.newCachedThreadPool(daemon("pp-scheduled-run"));
  private final ExecutorService work = Executors.newCachedThreadPool(daemon("pp-scheduled-work"));
  private final Object wake = new Object();
  private final Thread loop;
  private volatile boolean running = true;
  private boolean wakeRequested;
  private Instant lastBeat = Instant.EPOCH;

  public Scheduler(SchedulerJobs jobs, ClusterNodes node, Map<String, ScheduledAction> actions, SchedulerSettings settings) {
    this.jobs = jobs;
    this.node = node;
    this.actions = Map.copyOf(actions);
    this.settings = settings;
    this.loop = new Thread(this::loop, "pp-scheduler");
    this.loop.setDaemon(true);
  }

  public void start() {
    loop.start();
  }

  /** Looks for due runs and triggers now rather than at the next poll (after a trigger on this node). */
  public void wakeUp() {
    synchronized (wake) {
      wakeRequested = true;
      wake.notifyAll();
    }
  }

  private void loop() {
    while (running) {
      Duration sleep = settings.pollInterval();
      try {
        sleep = tick();
      } catch (RuntimeException e) {
        if (running) {
          log.warn("scheduler pass failed, retrying: {}", e.getMessage());
        }
      }
      pause(sleep);
    }
  }

  /** One pass over the jobs; returns how long to sleep before the next. */
  private Duration tick() {
    SchedulerJobs.Snapshot snapshot = jobs.load();
    Instant now = snapshot.now();
    if (Duration.between(lastBeat, now).compareTo(BEAT_INTERVAL) >= 0) {
      node.beat();
      int abandoned = jobs.abandonOrphanedRuns(LIVENESS_SECONDS);
      if (abandoned > 0) {
        log.warn("scheduler marked {} run(s) abandoned: their node stopped beating", abandoned);
      }
      lastBeat = now;
    }
    Instant earliest = now.plus(settings.pollInterval());
    for (SchedulerJob job : snapshot.jobs()) {
      if (job.triggerRequestedAt() != null) {
        jobs.claimManual(job.name(), job.triggerRequestedAt(), node.nodeId())
            .ifPresent(runId -> submit(job, runId, RunContext.MANUAL, null));
      }
      if (!job.enabled()) {
        continue;
      }
      Optional<CronSchedule> schedule = schedule(job);
      if (schedule.isEmpty()) {
        continue;
      }
      if (job.nextRunAt() == null) {
        schedule.get().next(now, settings.zone()).ifPresent(next -> jobs.setFirstNextRun(job.name(), next));
        earliest = now;
      } else if (!job.nextRunAt().isAfter(now)) {
        claimDue(job, schedule.get(), now);
      } else if (job.nextRunAt().isBefore(earliest)) {
        earliest = job.nextRunAt();
      }
    }
    return Duration.between(now, earliest);
  }

  private void claimDue(SchedulerJob job, CronSchedule schedule, Instant now) {
    Instant due = job.nextRunAt();
    boolean everyNodeWasAway = Duration.between(due, now).compareTo(MISFIRE_GRACE) > 0;
    Optional<Instant> followingTick = schedule.next(due, settings.zone());
    Optional<Instant> next = everyNodeWasAway ? schedule.next(now, settings.zone()) : followingTick;
    if (next.isEmpty()) {
      return;
    }
    boolean skipped = everyNodeWasAway && followingTick.map(t -> t.isBefore(now)).orElse(false);
    OptionalLong runId = jobs.claimScheduled(job.name(), due, next.get(), node.nodeId(), skipped);
    runId.ifPresent(id -> submit(job, id, RunContext.SCHEDULED, due));
  }

  private Optional<CronSchedule> schedule(SchedulerJob job) {
    CronSchedule cached = schedules.get(job.schedule());
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      CronSchedule parsed = CronSchedule.parse(job.schedule());
      schedules.put(job.schedule(), parsed);
      badSchedules.remove(job.name());
      return Optional.of(parsed);
    } catch (IllegalArgumentException e) {
      if (!job.schedule().equals(badSchedules.put(job.name(), job.schedule()))) {
        log.error("scheduler job {} is not scheduled: {}", job.name(), e.getMessage());
      }
      return Optional.empty();
    }
  }

  private void submit(SchedulerJob job, long runId, String triggerType, Instant scheduledFor) {
    RunContext context = new RunContext(runId, job.name(), triggerType, scheduledFor);
    runs.execute(() -> execute(job, context));
  }

  private void execute(SchedulerJob job, RunContext context) {
    long started = System.nanoTime();
    RunOutcome outcome;
    ScheduledAction action = actions.get(job.action());
    if (action == null) {
      outcome = RunOutcome.failed(0, new IllegalStateException("no action named '" + job.action() + "' on this node"));
    } else {
      Future<ObjectNode> result = work.submit(() -> action.run(context));
      try {
        outcome = RunOutcome.success(millisSince(started), result.get(job.timeoutSeconds(), TimeUnit.SECONDS));
      } catch (TimeoutException e) {
        result.cancel(true);
        outcome = RunOutcome.timedOut(millisSince(started), job.timeoutSeconds());
      } catch (ExecutionException e) {
        outcome = RunOutcome.failed(millisSince(started), e.getCause());
      } catch (InterruptedException e) {
        result.cancel(true);
        Thread.currentThread().interrupt();
        outcome = RunOutcome.failed(millisSince(started), new IllegalStateException("the node stopped during the run"));
      }
    }
    try {
      jobs.finish(context.runId(), outcome);
    } catch (RuntimeException e) {
      log.warn("could not record the end of run {} of {}: {}", context.runId(), job.name(), e.getMessage());
    }
    if ("success".equals(outcome.status())) {
      log.info("scheduled run finished job={} run={} trigger={} status=success ms={}", job.name(), context.runId(),
          context.triggerType(), outcome.durationMs());
    } else {
      log.warn("scheduled run finished job={} run={} trigger={} status={} ms={} error={}", job.name(), context.runId(),
          context.triggerType(), outcome.status(), outcome.durationMs(), outcome.errorMessage());
    }
  }

  private void pause(Duration duration) {
    long millis = Math.max(10, Math.min(duration.toMillis(), settings.pollInterval().toMillis()));
    synchronized (wake) {
      if (!wakeRequested && running) {
        try {
          wake.wait(millis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          running = false;
        }
      }
      wakeRequested = false;
    }
  }

  private static long millisSince(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Stops claiming, gives running runs a few seconds, interrupts the rest and removes this node's row. */
  @Override
  public void close() {
    running = false;
    loop.interrupt();
    try {
      loop.join(STOP_GRACE.toMillis());
      runs.shutdown();
      if (!runs.awaitTermination(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        work.shutdownNow();
        runs.awaitTermination(1, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    work.shutdownNow();
    try {
      node.remove();
    } catch (RuntimeException e) {
      log.warn("could not remove this node from cluster_nodes: {}", e.getMessage());
    }
  }
}
