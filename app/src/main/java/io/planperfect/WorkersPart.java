package io.planperfect;

import io.planperfect.config.Settings;
import io.planperfect.dispatch.Dispatcher;
import io.planperfect.dispatch.StageConfigRepository;
import io.planperfect.dispatch.WorkerEndpointClient;
import io.planperfect.http.ApiKeys;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.queue.NotificationListener;
import io.planperfect.worker.WorkerPool;
import io.planperfect.health.Readiness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The stage workers this node runs (its {@link NodeOptions} choose which), the LISTEN side of
 * wake-ups, and the dispatcher over seed 000's stage config; their loops start once the node listens.
 */
record WorkersPart(WorkerPool pool, StageConfigRepository stageConfigs, Dispatcher dispatcher) {
  private static final Duration DISPATCH_INTERVAL = Duration.ofSeconds(1);
  static final String WORKERS = "workers";
  /** The listener's connection answers every half second; a reconnect pauses a second between tries. */
  private static final Duration LISTENER_MAX_AGE = Duration.ofSeconds(15);
  private static final Duration MIN_LOOP_MAX_AGE = Duration.ofSeconds(30);

  static WorkersPart start(Settings settings, PipelineRegistry pipelines, NodeOptions options, ApiKeys keys,
      DatabasePart db, QueuePart queue, EnginePart engine, WorkerPool pool, ObservabilityPart observability,
      OwnedParts parts) {
    Readiness readiness = observability.readiness();
    readiness.expect(WORKERS);
    StageConfigRepository stageConfigs = new StageConfigRepository(db.jdbi(), pipelines);
    stageConfigs.ensure(pipelines.all());
    for (PipelineDefinition pipeline : pipelines.all()) {
      pool.addPipeline(pipeline, queue.queue(), engine.claims(), engine.executor(), options.stages(), options.limits(),
          settings.stageConcurrency(), settings.visibility().forQueue(pipeline.queue()), settings.pollInterval());
    }
    if (settings.listen()) {
      NotificationListener listener = parts.ownLoop(new NotificationListener(db.address(), queue.signals()),
          NotificationListener::start);
      readiness.watchLoop("wake-up-listener", listener::sinceLastAnswer, LISTENER_MAX_AGE);
    }
    parts.ownLoop(pool, started -> {
      started.start();
      readiness.markReady(WORKERS);
    });
    Duration loopMaxAge = max(MIN_LOOP_MAX_AGE, settings.pollInterval().multipliedBy(3));
    readiness.watch("claim-loops", () -> {
      List<String> stalled = pool.stalledLoops(loopMaxAge);
      return stalled.isEmpty() ? Optional.empty() : Optional.of("stopped or stalled: " + String.join(", ", stalled));
    });
    Dispatcher dispatcher = parts.ownLoop(
        new Dispatcher(stageConfigs, options.limits(), pool, new WorkerEndpointClient(keys.serviceKey())),
        d -> d.start(DISPATCH_INTERVAL));
    return new WorkersPart(pool, stageConfigs, dispatcher);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
