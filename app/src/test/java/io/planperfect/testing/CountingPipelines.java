package io.planperfect.testing;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageHandler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a pipeline's handlers to count every execution per job and stage, optionally slowed down. */
public final class CountingPipelines {
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();

  public PipelineDefinition wrap(PipelineDefinition pipeline, Duration delay) {
    return pipeline.withStages(pipeline.stages().stream().map(stage -> stage.withHandler(counted(stage.handler(), delay))).toList());
  }

  private StageHandler counted(StageHandler handler, Duration delay) {
    return context -> {
      runs.computeIfAbsent(context.jobId() + "/" + context.stage(), k -> new AtomicInteger()).incrementAndGet();
      if (!delay.isZero()) {
        Thread.sleep(delay.toMillis());
      }
      return handler.run(context);
    };
  }

  /** Executions per "jobId/stage". */
  public Map<String, AtomicInteger> runs() {
    return runs;
  }
}
