package io.planperfect.bench;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The measured pipeline: the content pipeline's six stages on queue {@code content}, each
 * handler returning a tiny result at once, so that what is measured is the engine's handoff.
 * The handlers come from a {@link HandlerClock}, which notes when each one started and returned.
 */
final class BenchPipeline {
  static final String NAME = "content";
  static final String QUEUE = "content";
  static final String JOB_TYPE = "benchmark_article";
  static final List<String> STAGES = List.of("research", "outline", "draft", "qa", "export", "complete");
  // why: far above the node's runner threads, so the cluster-wide limit is not what is measured.
  static final int MAX_CONCURRENCY = 50;

  private BenchPipeline() {}

  static PipelineDefinition definition(HandlerClock clock) {
    return new PipelineDefinition(NAME, QUEUE, List.of(JOB_TYPE),
        STAGES.stream().map(stage -> new StageDefinition(stage, clock.handler(stage))).toList());
  }

  /** Enables or pauses (content_stage_config.enabled) the six stages, as an operator's `stages set --disable` does. */
  static void enableStages(Jdbi jdbi, boolean enabled) {
    jdbi.useHandle(h -> h.createUpdate("""
            update content_stage_config set enabled = :enabled where queue = :queue and stage = any(cast(:stages as text[]))""")
        .bind("enabled", enabled)
        .bind("queue", QUEUE)
        .bind("stages", STAGES.toArray(String[]::new))
        .execute());
  }

  /** Sets content_stage_config.max_concurrency of the six stages (rows are added when missing). */
  static void raiseLimits(Jdbi jdbi) {
    jdbi.useHandle(h -> h.createUpdate("""
            insert into content_stage_config (stage, queue, max_concurrency)
            select s, :queue, :max from unnest(cast(:stages as text[])) s
            on conflict (queue, stage) do update set max_concurrency = excluded.max_concurrency""")
        .bind("queue", QUEUE)
        .bind("max", MAX_CONCURRENCY)
        .bind("stages", STAGES.toArray(String[]::new))
        .execute());
  }
}
