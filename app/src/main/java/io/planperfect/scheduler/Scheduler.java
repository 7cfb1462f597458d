package io.planperfect.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.SchedulerSettings;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
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
  private static final long LIVENESS_SECONDS = 30;
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  /** How long a timed-out action may take to notice its interruption before its run is recorded as timed out. */
  private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(30);

  private record PendingFinish(long runId, String jobName, RunOutcome outcome) {}
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

  private final SchedulerJobs jobs;
  private final ClusterNodes node;
  private final Map<String, ScheduledAction> actions;
  private final SchedulerSettings settings;
  private final Map<String, CronSchedule> schedules = new HashMap<>();
  private final Map<String, String> unschedulable = new HashMap<>();
  /** This node's action threads by job: a job is not claimed here again while its last work still runs. */
  private final Map<String, Future<ObjectNode>> localWork = new ConcurrentHashMap<>();
  /** Ends of runs the database could not take when they happened; recorded on the next passes. */
  private final Queue<PendingFinish> unrecorded = new ConcurrentLinkedQueue<>();
  private final ExecutorService runs = Executors.newCachedThreadPool(daemon("pp-scheduled-run"));
  private final ExecutorService work = Executors.newCachedThreadPool(daemon("pp-scheduled-work"));
  private final Object wake = new Object();
  private final Thread loop;
  private volatile boolean running = true;
  private final RunObserver observer;
  // when the loop last began a pass (System.nanoTime), for the node's readiness
  private volatile long lastPassNanos = System.nanoTime();
  private boolean wakeRequested;
  private Instant lastAbandonCheck = Instant.EPOCH;

  public Scheduler(SchedulerJobs jobs, ClusterNodes node, Map<String, ScheduledAction> actions, SchedulerSettings settings) {
    this(jobs, node, actions, settings, RunObserver.NONE);
  }

  /** As above, telling {@code observer} how each run on this node ends. */
  public Scheduler(SchedulerJobs jobs, ClusterNodes node, Map<String, ScheduledAction> actions, SchedulerSettings settings,
      RunObserver observer) {
    this.observer = observer;
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

  /** How long ago the loop last began a pass over the jobs; a loop that died or hangs grows old. */
  public Duration sinceLastPass() {
    return loop.isAlive() ? Duration.ofNanos(System.nanoTime() - lastPassNanos) : ChronoUnit.FOREVER.getDuration();
  }

  /** The longest the loop sleeps between passes. */
  public Duration pollInterval() {
    return settings.pollInterval();
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
      lastPassNanos = System.nanoTime();
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
    if (Duration.between(lastAbandonCheck, now).compareTo(ClusterNodes.BEAT_INTERVAL) >= 0) {
      int abandoned = jobs.abandonOrphanedRuns(LIVENESS_SECONDS);
      if (abandoned > 0) {
        log.warn("scheduler marked {} run(s) abandoned: their node stopped beating or their end was never recorded", abandoned);
      }
      lastAbandonCheck = now;
    }
    recordUnrecorded();
    Instant earliest = now.plus(settings.pollInterval());
    for (SchedulerJob job : snapshot.jobs()) {
      if (!running) {
        break;
      }
      try {
        Instant wanted = pass(job, now);
        if (wanted.isBefore(earliest)) {
          earliest = wanted;
        }
      } catch (RuntimeException e) {
        // why: one job's trouble must not keep the jobs after it from running.
        log.warn("scheduler could not handle job {}: {}", job.name(), e.getMessage());
      }
    }
    return Duration.between(now, earliest);
  }

  /** Claims what is due of one job; returns when this job next wants a pass. */
  private Instant pass(SchedulerJob job, Instant now) {
    Instant never = Instant.MAX;
    if (isRunningHere(job.name())) {
      return never;
    }
    if (job.triggerRequestedAt() != null) {
      jobs.claimManual(job.name(), job.triggerRequestedAt(), node.nodeId())
          .ifPresent(runId -> submit(job, runId, RunContext.MANUAL, null));
    }
    if (!job.enabled()) {
      return never;
    }
    Optional<CronSchedule> schedule = schedule(job);
    if (schedule.isEmpty()) {
      return never;
    }
    if (job.nextRunAt() == null) {
      Optional<Instant> first = schedule.get().next(now, settings.zone());
      if (first.isEmpty()) {
        reportUnschedulable(job, "its schedule never fires again");
        return never;
      }
      jobs.setFirstNextRun(job.name(), first.get());
      return first.get();
    }
    if (job.nextRunAt().isAfter(now)) {
      return job.nextRunAt();
    }
    // why: after a claim, look again at once (a late node catches up tick by tick); after a lost
    // claim (another node's, or a run still going), wait for the next poll.
    return claimDue(job, schedule.get(), now) ? now : now.plus(settings.pollInterval());
  }

  private boolean claimDue(SchedulerJob job, CronSchedule schedule, Instant now) {
    Instant due = job.nextRunAt();
    boolean everyNodeWasAway = Duration.between(due, now).compareTo(MISFIRE_GRACE) > 0;
    Optional<Instant> followingTick = schedule.next(due, settings.zone());
    Optional<Instant> next = everyNodeWasAway ? schedule.next(now, settings.zone()) : followingTick;
    if (next.isEmpty()) {
      reportUnschedulable(job, "its schedule never fires again");
      return false;
    }
    boolean skipped = everyNodeWasAway && followingTick.map(t -> t.isBefore(now)).orElse(false);
    OptionalLong runId = jobs.claimScheduled(job.name(), due, next.get(), node.nodeId(), skipped);
    runId.ifPresent(id -> submit(job, id, RunContext.SCHEDULED, due));
    return runId.isPresent();
  }

  private boolean isRunningHere(String jobName) {
    Future<ObjectNode> work = localWork.get(jobName);
    return work != null && !work.isDone();
  }

  private Optional<CronSchedule> schedule(SchedulerJob job) {
    CronSchedule cached = schedules.get(job.schedule());
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      CronSchedule parsed = CronSchedule.parse(job.schedule());
      schedules.put(job.schedule(), parsed);
      unschedulable.remove(job.name());
      return Optional.of(parsed);
    } catch (IllegalArgumentException e) {
      reportUnschedulable(job, e.getMessage());
      return Optional.empty();
    }
  }

  /** Logs once per job and schedule why the job cannot be scheduled. */
  private void reportUnschedulable(SchedulerJob job, String reason) {
    if (!job.schedule().equals(unschedulable.put(job.name(), job.schedule()))) {
      log.error("scheduler job {} is not scheduled ({}): {}", job.name(), job.schedule(), reason);
    }
  }

  private void submit(SchedulerJob job, long runId, String triggerType, Instant scheduledFor) {
    RunContext context = new RunContext(runId, job.name(), triggerType, scheduledFor);
    try {
      runs.execute(() -> execute(job, context));
    } catch (RejectedExecutionException e) {
      // why: claimed while the node was stopping; say so now rather than leave the run to be abandoned.
      record(context.runId(), job.name(), RunOutcome.failed(0, new IllegalStateException("the node was stopping")));
    }
  }

  private void execute(SchedulerJob job, RunContext context) {
    long started = System.nanoTime();
    RunOutcome outcome;
    ScheduledAction action = actions.get(job.action());
    if (action == null) {
      outcome = RunOutcome.failed(0, new IllegalStateException("no action named '" + job.action() + "' on this node"));
    } else {
      outcome = await(job, context, action, started);
    }
    record(context.runId(), job.name(), outcome);
    observer.finished(job.name(), outcome);
    if ("success".equals(outcome.status())) {
      log.info("scheduled run finished job={} run={} trigger={} status=success ms={}", job.name(), context.runId(),
          context.triggerType(), outcome.durationMs());
    } else {
      log.warn("scheduled run finished job={} run={} trigger={} status={} ms={} error={}", job.name(), context.runId(),
          context.triggerType(), outcome.status(), outcome.durationMs(), outcome.errorMessage());
    }
  }

  private RunOutcome await(SchedulerJob job, RunContext context, ScheduledAction action, long started) {
    Future<ObjectNode> result;
    try {
      result = work.submit(() -> action.run(context));
    } catch (RejectedExecutionException e) {
      return RunOutcome.failed(0, new IllegalStateException("the node was stopping"));
    }
    localWork.put(job.name(), result);
    try {
      return RunOutcome.success(millisSince(started), result.get(job.timeoutSeconds(), TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      result.cancel(true);
      awaitEnd(job.name());
      return RunOutcome.timedOut(millisSince(started), job.timeoutSeconds());
    } catch (ExecutionException e) {
      return RunOutcome.failed(millisSince(started), e.getCause());
    } catch (CancellationException e) {
      return RunOutcome.failed(millisSince(started), new IllegalStateException("the node stopped during the run"));
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      return RunOutcome.failed(millisSince(started), new IllegalStateException("the node stopped during the run"));
    }
  }

  /**
   * Waits a little for an interrupted action to end: a run stays "running" (so no node starts
   * the job again) while its work still holds connections and locks here.
   */
  private void awaitEnd(String jobName) {
    long deadline = System.nanoTime() + INTERRUPT_GRACE.toNanos();
    while (isRunningHere(jobName) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void record(long runId, String jobName, RunOutcome outcome) {
    try {
      jobs.finish(runId, outcome);
    } catch (RuntimeException e) {
      log.warn("could not record the end of run {} of {}, will retry: {}", runId, jobName, e.getMessage());
      unrecorded.add(new PendingFinish(runId, jobName, outcome));
    }
  }

  private void recordUnrecorded() {
    for (int i = unrecorded.size(); i > 0; i--) {
      PendingFinish pending = unrecorded.poll();
      if (pending == null) {
        return;
      }
      try {
        jobs.finish(pending.runId(), pending.outcome());
      } catch (RuntimeException e) {
        unrecorded.add(pending);
        return;
      }
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

  /** Stops claiming, gives running runs a few seconds and interrupts the rest. */
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
  }
}
