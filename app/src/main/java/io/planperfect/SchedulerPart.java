package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.engine.ScheduledJobs;
import io.planperfect.engine.Sweeper;
import io.planperfect.json.Json;
import io.planperfect.maintenance.Cleanup;
import io.planperfect.maintenance.ContentAutomation;
import io.planperfect.maintenance.HealthChecks;
import io.planperfect.maintenance.MetricsCollector;
import io.planperfect.maintenance.Monitor;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.scheduler.ClusterNodes;
import io.planperfect.scheduler.ScheduledAction;
import io.planperfect.scheduler.Scheduler;
import io.planperfect.scheduler.SchedulerJobs;
import io.planperfect.health.Readiness;
import java.time.Duration;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Seed 003's jobs on this node: the actions behind them by name, the node's row in
 * {@code cluster_nodes}, and the scheduler loop ({@code scheduler} is null when switched off).
 */
record SchedulerPart(SchedulerJobs jobs, Scheduler scheduler) {
  private static final Duration MIN_SCHEDULER_MAX_AGE = Duration.ofSeconds(30);

  static SchedulerPart start(Settings settings, PipelineRegistry pipelines, NodeOptions options, DatabasePart db,
      EnginePart engine, Dispatcher dispatcher, ObservabilityPart observability, OwnedParts parts) {
    Map<String, ScheduledAction> actions = actions(settings, pipelines, db.jdbi(), engine, dispatcher);
    SchedulerJobs jobs = new SchedulerJobs(db.jdbi());
    ClusterNodes node = parts.ownLoop(new ClusterNodes(db.jdbi(), observability.nodeId(),
        Json.object().put("http", options.http()).put("scheduler", settings.scheduler().enabled())), ClusterNodes::start);
    Readiness readiness = observability.readiness();
    readiness.watchLoop("node-heartbeat", node::sinceLastBeat, ClusterNodes.BEAT_INTERVAL.multipliedBy(4));
    Scheduler scheduler = null;
    if (settings.scheduler().enabled()) {
      scheduler = parts.ownLoop(new Scheduler(jobs, node, actions, settings.scheduler(), observability.schedulerRuns()),
          Scheduler::start);
      Duration maxAge = scheduler.pollInterval().multipliedBy(3);
      readiness.watchLoop("scheduler", scheduler::sinceLastPass,
          maxAge.compareTo(MIN_SCHEDULER_MAX_AGE) > 0 ? maxAge : MIN_SCHEDULER_MAX_AGE);
    }
    return new SchedulerPart(jobs, scheduler);
  }

  /** The {@code scheduler_jobs.action} names of seed 003's {@code trigger_*} functions. */
  private static Map<String, ScheduledAction> actions(Settings settings, PipelineRegistry pipelines, Jdbi jdbi,
      EnginePart engine, Dispatcher dispatcher) {
    Sweeper sweeper = engine.sweeper();
    return Map.of(
        "trigger_content_automation",
        new ContentAutomation(new ScheduledJobs(jdbi, engine.jobs(), pipelines, engine.intake()), sweeper),
        "trigger_monitoring", new Monitor(jdbi, settings.maintenance()),
        "trigger_metrics_collection", new MetricsCollector(jdbi, settings.maintenance()),
        "trigger_health_checks", new HealthChecks(jdbi, settings.maintenance()),
        "trigger_cleanup", new Cleanup(jdbi, settings.maintenance()),
        "trigger_dispatcher", run -> Json.MAPPER.valueToTree(dispatcher.runOnce()),
        "trigger_sweeper", run -> {
          Sweeper.Report report = sweeper.sweep(run.triggerType());
          return Json.object().put("orphans_requeued", report.orphansRequeued()).put("expired_leases", report.expiredLeases());
        });
  }
}
