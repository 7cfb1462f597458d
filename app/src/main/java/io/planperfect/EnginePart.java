package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.engine.BatchIntake;
import io.planperfect.engine.Heartbeats;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobChanges;
import io.planperfect.engine.NextStageRunners;
import io.planperfect.engine.JobRepository;
import io.planperfect.engine.ModelLedger;
import io.planperfect.engine.RetryPolicy;
import io.planperfect.engine.StageClaims;
import io.planperfect.engine.StageExecutor;
import io.planperfect.engine.StageHooks;
import io.planperfect.engine.StageTransitions;
import io.planperfect.engine.Sweeper;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.WorkerPool;
import java.time.Duration;

/**
 * The pipeline engine: intake, the claim, the run of an attempt with its heartbeats, the
 * transitions, the sweeper, and the change feed every committing part tells of its events. The worker pool is handed in before it starts: a completing
 * transition gives the next stage to one of its free runners, and a retry wakes its loops.
 */
record EnginePart(JobRepository jobs, JobChanges changes, Intake intake, StageClaims claims, StageExecutor executor,
    Sweeper sweeper, BatchIntake batches) {
  private static final Duration EXPIRED_LEASE_AGE = Duration.ofMinutes(1);
  /** The change feed's thread passes at least every second; this long without one, it is stuck or gone. */
  private static final Duration CHANGE_FEED_MAX_AGE = Duration.ofSeconds(30);

  static EnginePart start(Settings settings, PipelineRegistry pipelines, NodeOptions options, DatabasePart db,
      QueuePart queue, WorkerPool workers, ObservabilityPart observability, OwnedParts parts) {
    StageHooks hooks = options.hooks();
    JobRepository jobs = new JobRepository();
    JobChanges changes = parts.own(new JobChanges(db.jdbi(), queue.signals(), queue.announcer()));
    RetryPolicy retryPolicy = RetryPolicy.of(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay());
    boolean mail = settings.callbacks().smtp().isPresent();
    Intake intake = parts.own(new Intake(db.jdbi(), jobs, queue.queue(), queue.announcer(), retryPolicy,
        settings.visibility(), changes, mail));
    StageClaims claims = new StageClaims(db.jdbi(), pipelines, retryPolicy, changes);
    StageTransitions transitions = new StageTransitions(db.jdbi(), jobs, queue.queue(), queue.announcer(), retryPolicy,
        claims, options.chainedHandoffs() ? workers : NextStageRunners.NONE, hooks, changes);
    Heartbeats heartbeats = parts.own(
        new Heartbeats(queue.queue(), settings.visibility(), settings.stageTimeout(), settings.heartbeats()));
    StageExecutor executor = new StageExecutor(transitions, workers, heartbeats, hooks,
        new ModelLedger(db.jdbi(), java.time.Clock.systemUTC()), observability.attempts(), observability.nodeId());
    Sweeper sweeper = new Sweeper(db.jdbi(), jobs, queue.queue(), pipelines, queue.announcer(), EXPIRED_LEASE_AGE, changes);
    BatchIntake batches = new BatchIntake(db.jdbi(), queue.queue(), queue.announcer(), retryPolicy, settings.visibility(),
        changes, mail);
    observability.readiness().watchLoop("change-feed", changes::sinceLastPass, CHANGE_FEED_MAX_AGE);
    return new EnginePart(jobs, changes, intake, claims, executor, sweeper, batches);
  }
}
