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
import java.time.Duration;

/**
 * The stage workers this node runs (its {@link NodeOptions} choose which), the LISTEN side of
 * wake-ups, and the dispatcher over seed 000's stage config; their loops start once the node listens.
 */
record WorkersPart(WorkerPool pool, StageConfigRepository stageConfigs, Dispatcher dispatcher) {
  private static final Duration DISPATCH_INTERVAL = Duration.ofSeconds(1);

  static WorkersPart start(Settings settings, PipelineRegistry pipelines, NodeOptions options, ApiKeys keys,
      DatabasePart db, QueuePart queue, EnginePart engine, WorkerPool pool, OwnedParts parts) {
    StageConfigRepository stageConfigs = new StageConfigRepository(db.jdbi());
    stageConfigs.ensure(pipelines.all());
    for (PipelineDefinition pipeline : pipelines.all()) {
      pool.addPipeline(pipeline, queue.queue(), engine.claims(), engine.executor(), options.stages(), options.limits(),
          settings.stageConcurrency(), settings.visibility().forQueue(pipeline.queue()), settings.pollInterval());
    }
    if (settings.listen()) {
      parts.ownLoop(new NotificationListener(db.address(), queue.signals()), NotificationListener::start);
    }
    parts.ownLoop(pool, WorkerPool::start);
    Dispatcher dispatcher = parts.ownLoop(
        new Dispatcher(stageConfigs, options.limits(), pool, new WorkerEndpointClient(keys.serviceKey())),
        d -> d.start(DISPATCH_INTERVAL));
    return new WorkersPart(pool, stageConfigs, dispatcher);
  }
}
