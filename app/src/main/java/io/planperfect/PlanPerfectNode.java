package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.db.Database;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.db.DurabilityCheck;
import io.planperfect.db.EmbeddedPostgresServer;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.dispatch.WorkerEndpointClient;
import io.planperfect.maintenance.ContentAutomation;
import io.planperfect.engine.DeadLetters;
import io.planperfect.engine.Heartbeats;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobCancellation;
import io.planperfect.engine.JobReads;
import io.planperfect.engine.JobRepository;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.engine.RetryPolicy;
import io.planperfect.engine.ScheduledJobs;
import io.planperfect.engine.StageClaims;
import io.planperfect.engine.StageExecutor;
import io.planperfect.engine.StageTransitions;
import io.planperfect.engine.Sweeper;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.ApiServer;
import io.planperfect.http.DeadLetterRoutes;
import io.planperfect.http.DispatchRoutes;
import io.planperfect.http.JobRoutes;
import io.planperfect.http.QueueRoutes;
import io.planperfect.http.SchedulerRoutes;
import io.planperfect.http.SweeperRoutes;
import io.planperfect.json.Json;
import io.planperfect.maintenance.Cleanup;
import io.planperfect.maintenance.HealthChecks;
import io.planperfect.maintenance.MetricsCollector;
import io.planperfect.maintenance.Monitor;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.NotificationListener;
import io.planperfect.queue.QueueAdmin;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.scheduler.ClusterNodes;
import io.planperfect.scheduler.ScheduledAction;
import io.planperfect.scheduler.Scheduler;
import io.planperfect.scheduler.SchedulerJobs;
import io.planperfect.scheduler.SchedulerReads;
import io.planperfect.worker.WorkerPool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PlanPerfect node, assembled by hand so the reader sees every part: the database (an
 * embedded PostgreSQL unless one is configured), migrations, the queue and its wake-ups, the
 * pipeline engine, the stage workers, the dispatcher, the scheduler and the HTTP API. Closing stops them in
 * reverse order.
 */
public final class PlanPerfectNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanPerfectNode.class);
  private static final Duration DISPATCH_INTERVAL = Duration.ofSeconds(1);
  private static final Duration EXPIRED_LEASE_AGE = Duration.ofMinutes(1);

  private final List<AutoCloseable> parts = new ArrayList<>();
  private Database database;
  private ApiKeys keys;
  private Intake intake;
  private Dispatcher dispatcher;
  private ApiServer api;

  private PlanPerfectNode(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    try {
      assemble(settings, pipelines, options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info("node started: {}", settings.describe());
  }

  /** Starts a complete node: database, migrations, every stage's workers, dispatcher and HTTP API. */
  public static PlanPerfectNode start(Settings settings, PipelineRegistry pipelines) {
    return start(settings, pipelines, NodeOptions.serve(System.getenv()));
  }

  public static PlanPerfectNode start(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    return new PlanPerfectNode(settings, pipelines, options);
  }

  private void assemble(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    // why not stopped at JVM exit: the node closes its parts in reverse, so the database it owns
    // stops last, after the drain has released what it could not finish.
    DatabaseAddress address = settings.dbUrl()
        .map(url -> new DatabaseAddress(url, settings.dbUser(), settings.dbPassword()))
        .orElseGet(() -> own(EmbeddedPostgresServer.start(settings.dataDir(), false)).address());
    database = own(Database.connect(address, settings.poolSize()));
    database.migrate();
    DurabilityCheck.require(database.jdbi(), settings.allowUnsafeDurability());
    keys = ApiKeys.resolve(settings.serviceKey(), settings.anonKey(), settings.dataDir());

    WorkSignals signals = new WorkSignals();
    WorkAnnouncer announcer = own(new WorkAnnouncer(database.jdbi(), signals));
    MessageQueue queue = new MessageQueue(database.jdbi());
    JobRepository jobs = new JobRepository();
    RetryPolicy retryPolicy = RetryPolicy.of(settings.maxAttempts(), settings.retryBaseDelay(), settings.retryMaxDelay());
    intake = new Intake(database.jdbi(), jobs, queue, announcer, retryPolicy, settings.visibilityTimeout());

    StageConfigRepository stageConfigs = new StageConfigRepository(database.jdbi());
    stageConfigs.ensure(pipelines.all());
    WorkerPool workers = new WorkerPool(signals, announcer, settings.shutdownGrace());
    StageClaims claims = new StageClaims(database.jdbi(), pipelines, retryPolicy);
    StageTransitions transitions =
        new StageTransitions(database.jdbi(), jobs, queue, announcer, retryPolicy, claims, workers, options.hooks());
    Heartbeats heartbeats =
        own(new Heartbeats(queue, settings.visibilityTimeout(), settings.stageTimeout(), settings.heartbeats()));
    StageExecutor executor = new StageExecutor(transitions, workers, heartbeats, options.hooks());
    for (PipelineDefinition pipeline : pipelines.all()) {
      workers.addPipeline(pipeline, queue, claims, executor, options.stages(), options.limits(), settings.stageConcurrency(),
          settings.visibilityTimeout(), settings.pollInterval());
    }
    if (settings.listen()) {
      own(new NotificationListener(address, signals)).start();
    }
    own(workers).start();
    dispatcher = own(new Dispatcher(stageConfigs, options.limits(), workers, new WorkerEndpointClient(keys.serviceKey())));
    dispatcher.start(DISPATCH_INTERVAL);

    Sweeper sweeper = new Sweeper(database.jdbi(), jobs, queue, pipelines, announcer, EXPIRED_LEASE_AGE);
    ContentAutomation automation = new ContentAutomation(new ScheduledJobs(database.jdbi(), jobs, pipelines, intake), sweeper);
    Map<String, ScheduledAction> actions = Map.of(
        "trigger_content_automation", automation,
        "trigger_monitoring", new Monitor(database.jdbi(), settings.maintenance()),
        "trigger_metrics_collection", new MetricsCollector(database.jdbi(), settings.maintenance()),
        "trigger_health_checks", new HealthChecks(database.jdbi(), settings.maintenance()),
        "trigger_cleanup", new Cleanup(database.jdbi(), settings.maintenance()),
        "trigger_dispatcher", run -> Json.MAPPER.valueToTree(dispatcher.runOnce()),
        "trigger_sweeper", run -> {
          Sweeper.Report report = sweeper.sweep(run.triggerType());
          return Json.object().put("orphans_requeued", report.orphansRequeued()).put("expired_leases", report.expiredLeases());
        });
    SchedulerJobs schedulerJobs = new SchedulerJobs(database.jdbi());
    ClusterNodes node = own(new ClusterNodes(database.jdbi(),
        Json.object().put("http", options.http()).put("scheduler", settings.scheduler().enabled())).start());
    Scheduler scheduler = null;
    if (settings.scheduler().enabled()) {
      scheduler = own(new Scheduler(schedulerJobs, node, actions, settings.scheduler()));
      scheduler.start();
    }

    if (options.http()) {
      api = own(new ApiServer(keys, database.jdbi(), List.of(
          new JobRoutes(intake, pipelines, new JobReads(database.jdbi()), new JobCancellation(database.jdbi(), jobs, queue)),
          new DeadLetterRoutes(new DeadLetters(database.jdbi(), jobs, queue, announcer)),
          new SweeperRoutes(sweeper),
          new SchedulerRoutes(schedulerJobs, new SchedulerReads(database.jdbi()), scheduler),
          new QueueRoutes(queue, new QueueAdmin(database.jdbi()), announcer),
          new DispatchRoutes(dispatcher, stageConfigs, workers, pipelines))))
          .start(settings.host(), settings.port());
    }
  }

  /** The HTTP port, or -1 for a node without HTTP. */
  public int port() {
    return api == null ? -1 : api.port();
  }

  public DatabaseAddress databaseAddress() {
    return database.address();
  }

  public ApiKeys keys() {
    return keys;
  }

  public Intake intake() {
    return intake;
  }

  public Dispatcher dispatcher() {
    return dispatcher;
  }

  private <T extends AutoCloseable> T own(T part) {
    parts.add(part);
    return part;
  }

  /** Stops in reverse order of start: HTTP, scheduler, dispatcher, workers (draining), listener, pool, embedded PostgreSQL. */
  @Override
  public void close() {
    for (int i = parts.size() - 1; i >= 0; i--) {
      try {
        parts.get(i).close();
      } catch (Exception e) {
        log.warn("error while stopping {}: {}", parts.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    parts.clear();
  }
}
