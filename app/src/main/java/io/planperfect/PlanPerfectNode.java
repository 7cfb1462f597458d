package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.db.DatabaseAddress;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobChanges;
import io.planperfect.http.ApiKeys;
import io.planperfect.http.ApiServer;
import io.planperfect.http.Route;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.worker.WorkerPool;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PlanPerfect node, assembled by hand so the reader sees every part, in the order they start:
 * the database (an embedded PostgreSQL unless one is configured) with its migrations, the queue and
 * its wake-ups, the pipeline engine, the stage workers with the dispatcher, the scheduler, and the
 * HTTP API. Each part is a small class beside this one; closing stops them in reverse order.
 */
public final class PlanPerfectNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PlanPerfectNode.class);

  private final OwnedParts parts = new OwnedParts();
  private DatabasePart database;
  private ApiKeys keys;
  private EnginePart engine;
  private WorkersPart workers;
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
    database = DatabasePart.start(settings, parts);
    keys = ApiKeys.resolve(settings.serviceKey(), settings.anonKey(), settings.dataDir());
    QueuePart queue = QueuePart.start(database, parts);
    // why made before the engine and started after it: the engine hands work to the pool's runners.
    WorkerPool pool = new WorkerPool(queue.signals(), queue.announcer(), settings.shutdownGrace());
    engine = EnginePart.start(settings, pipelines, options, database, queue, pool, parts);
    workers = WorkersPart.start(settings, pipelines, options, keys, database, queue, engine, pool, parts);
    SchedulerPart scheduler =
        SchedulerPart.start(settings, pipelines, options, database, engine, workers.dispatcher(), parts);
    CallbacksPart callbacks = CallbacksPart.start(settings.callbacks(), keys, database, parts);
    if (options.http()) {
      api = HttpPart.start(settings, pipelines, keys, database, queue, engine, workers, scheduler, callbacks, parts);
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

  /** Stops in reverse order of start: HTTP, scheduler, dispatcher, workers (draining), listener, pool, embedded PostgreSQL. */
  @Override
  public void close() {
    parts.close();
  }
}
