package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobChanges;
import io.planperfect.health.Readiness;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.ApiServer;
import io.planperfect.http.Route;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.WorkerPool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PlanPerfect node, assembled by hand so the reader sees every part, in the order they are made:
 * the database (an embedded PostgreSQL unless one is configured) with its migrations, the queue and
 * its wake-ups, the pipeline engine, the stage workers with the dispatcher, the scheduler, and the
 * HTTP API. Each part is a small class beside this one; closing stops them in reverse order.
 *
 * <p>The HTTP server binds before any loop starts (claim loops, listener, dispatcher, scheduler,
 * callback delivery): a node restarted over a deep backlog answers at once, and {@code /health}
 * says {@code starting} (503) until {@link #startLoops} has run (the {@link Readiness} part {@code startup}).
 */
public final class PlanPerfectNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanPerfectNode.class);

  private final OwnedParts parts = new OwnedParts();
  private DatabasePart database;
  private ApiKeys keys;
  private EnginePart engine;
  private WorkersPart workers;
  private ApiServer api;
  private ObservabilityPart observability;
  private final String description;

  private PlanPerfectNode(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    try {
      assemble(settings, pipelines, options);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    description = settings.describe();
    log.info("node listening, loops not started yet: {}", description);
  }

  /** Starts a complete node: database, migrations, every stage's workers, dispatcher and HTTP API. */
  public static PlanPerfectNode start(Settings settings, PipelineRegistry pipelines) {
    return start(settings, pipelines, NodeOptions.serve(System.getenv()));
  }

  public static PlanPerfectNode start(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    PlanPerfectNode node = open(settings, pipelines, options);
    try {
      node.startLoops();
    } catch (RuntimeException e) {
      node.close();
      throw e;
    }
    return node;
  }

  /**
   * A node whose database is migrated and whose HTTP server listens ({@code /health}: 503
   * {@code starting}), with no loop running yet: {@link #startLoops} starts them. {@link #start} does both.
   */
  public static PlanPerfectNode open(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    return new PlanPerfectNode(settings, pipelines, options);
  }

  /**
   * Starts the claim loops, listener, dispatcher, scheduler and callback delivery; then the node's
   * {@code startup} part is ready ({@code /health} ok, {@code /health/ready} once every part answers).
   */
  public void startLoops() {
    parts.startLoops();
    observability.readiness().markReady(Readiness.STARTUP);
    log.info("node started: {}", description);
  }

  private void assemble(Settings settings, PipelineRegistry pipelines, NodeOptions options) {
    database = DatabasePart.start(settings, parts);
    observability = ObservabilityPart.start(pipelines, database, parts);
    keys = ApiKeys.resolve(settings.serviceKey(), settings.anonKey(), settings.dataDir())
        .withMetricsToken(settings.observability().metricsToken());
    QueuePart queue = QueuePart.start(database, parts);
    // why made before the engine and started after it: the engine hands work to the pool's runners.
    WorkerPool pool = new WorkerPool(queue.signals(), queue.announcer(), settings.shutdownGrace());
    engine = EnginePart.start(settings, pipelines, options, database, queue, pool, observability, parts);
    workers = WorkersPart.start(settings, pipelines, options, keys, database, queue, engine, pool, observability, parts);
    SchedulerPart scheduler = SchedulerPart.start(settings, pipelines, options, database, engine, workers.dispatcher(),
        observability, parts);
    CallbacksPart callbacks = CallbacksPart.start(settings.callbacks(), keys, database, parts);
    if (options.http()) {
      api = HttpPart.start(settings, pipelines, keys, database, queue, engine, workers, scheduler, callbacks,
          observability, parts);
    }
  }

  /** The HTTP port, or -1 for a node without HTTP. */
  public int port() {
    return api == null ? -1 : api.port();
  }

  /** Every route this node serves (none without HTTP): method, path, keys, audience, summary. */
  public List<Route> routes() {
    return api == null ? List.of() : api.routes();
  }

  /** Every "METHOD path" this node answers, the dashboard's included (none without HTTP). */
  public List<String> served() {
    return api == null ? List.of() : api.served();
  }

  public DatabaseAddress databaseAddress() {
    return database.address();
  }

  public ApiKeys keys() {
    return keys;
  }

  public Intake intake() {
    return engine.intake();
  }

  /** The change feed of this node: every job change, to subscribers in this process. */
  public JobChanges changes() {
    return engine.changes();
  }

  public Dispatcher dispatcher() {
    return workers.dispatcher();
  }

  /** Whether this node should be sent work (its {@code /health/ready}), and the checks behind it. */
  public Readiness readiness() {
    return observability.readiness();
  }

  /**
   * Says that this node is shutting down: {@code /health/ready} answers 503 "draining" from now on, so
   * an orchestrator or load balancer stops sending it work. {@link #close()} does this first.
   */
  public void drain() {
    if (observability != null) {
      observability.readiness().drain();
    }
  }

  /** Stops in reverse order of start: HTTP, scheduler, dispatcher, workers (draining), listener, pool, embedded PostgreSQL. */
  @Override
  public void close() {
    drain();
    parts.close();
  }
}
