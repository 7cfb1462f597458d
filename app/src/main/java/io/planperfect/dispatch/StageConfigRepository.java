package io.planperfect.dispatch;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** The SQL of content_stage_config and the per-stage backlog. */
public final class StageConfigRepository {
  private static final String COLUMNS =
      "stage, queue, worker_endpoint, max_concurrency, trigger_batch_size, enabled, last_updated_at, max_attempts, "
          + "retry_delay_seconds, llm_provider, llm_model, qa_policy";

  private static final String BACKLOG = """
      select c.queue, c.stage,
             count(m.msg_id) filter (where m.vt <= now()) as ready,
             count(m.msg_id) filter (where m.vt > now() and m.lease is not null) as in_flight,
             count(m.msg_id) filter (where m.vt > now() and m.lease is null) as delayed,
             extract(epoch from now() - min(m.enqueued_at) filter (where m.vt <= now()))::integer as oldest
        from content_stage_config c
        left join queue_messages m on m.queue_name = c.queue and m.stage = c.stage
       group by c.queue, c.stage order by c.queue, c.stage""";

  // why not BACKLOG: the dispatcher asks every second, and counting every message of a deep backlog read
  // the whole table each time (343 ms a cycle at 100,000 queued, a sixth of this 2-core machine). It needs
  // only "ready, up to what the stage's free slots or one trigger batch could take" and the busy slots: the
  // ready ones are counted along the claim index from the stage's head, at most max_concurrency or
  // trigger_batch_size, and the messages in flight are the slots held under a live lease (every claim of the
  // engine, local or through a worker endpoint, holds one).
  private static final String DISPATCHABLE = """
      select c.queue, c.stage,
             (select count(*) from (select 1 from queue_messages m
                                     where m.queue_name = c.queue and m.stage = c.stage and m.vt <= now()
                                     order by m.priority desc, m.msg_id
                                     limit greatest(c.max_concurrency, c.trigger_batch_size, 1)) r) as ready,
             (select count(*) from stage_slots s
               where s.queue_name = c.queue and s.stage = c.stage and s.lease is not null
                 and s.expires_at > now()) as in_flight
        from content_stage_config c
       order by c.queue, c.stage""";

  private final Jdbi jdbi;
  private final PipelineRegistry pipelines;

  public StageConfigRepository(Jdbi jdbi, PipelineRegistry pipelines) {
    this.jdbi = jdbi;
    this.pipelines = pipelines;
  }

  /** Adds a row (with defaults) for every stage of the pipelines that has none. */
  public void ensure(List<PipelineDefinition> pipelines) {
    jdbi.useHandle(h -> {
      var batch = h.prepareBatch("insert into content_stage_config (stage, queue) values (:stage, :queue) on conflict do nothing");
      for (PipelineDefinition pipeline : pipelines) {
        pipeline.stageNames().forEach(stage -> batch.bind("stage", stage).bind("queue", pipeline.queue()).add());
      }
      batch.execute();
    });
  }

  /** Every stage's config in the order a job meets them (by queue, then the stage's position; unknown stages last). */
  public List<StageConfig> list() {
    return StageOrder.sorted(jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from content_stage_config order by queue, stage")
        .map((rs, ctx) -> toConfig(rs)).list()), pipelines);
  }

  public Optional<StageConfig> find(String queue, String stage) {
    return jdbi.withHandle(h -> h.createQuery("select " + COLUMNS + " from content_stage_config where queue = :q and stage = :s")
        .bind("q", queue).bind("s", stage).map((rs, ctx) -> toConfig(rs)).findOne());
  }

  /** Applies the given changes (null = unchanged; the endpoint may be cleared); empty when there is no such stage. */
  public Optional<StageConfig> update(String queue, String stage, StageConfigChange change) {
    return jdbi.withHandle(h -> h.createQuery("""
            update content_stage_config
               set max_concurrency = coalesce(:max, max_concurrency),
                   trigger_batch_size = coalesce(:batch, trigger_batch_size),
                   enabled = coalesce(:enabled, enabled),
                   worker_endpoint = case when :setEndpoint then :endpoint else worker_endpoint end,
                   max_attempts = case when :setMaxAttempts then cast(:maxAttempts as integer) else max_attempts end,
                   retry_delay_seconds = case when :setRetryDelay then cast(:retryDelay as integer) else retry_delay_seconds end,
                   llm_provider = case when :setProvider then cast(:provider as text) else llm_provider end,
                   llm_model = case when :setModel then cast(:model as text) else llm_model end,
                   qa_policy = case when :setQaPolicy then cast(:qaPolicy as text) else qa_policy end
             where queue = :q and stage = :s
            returning\s""" + COLUMNS)
        .bind("max", change.maxConcurrency())
        .bind("batch", change.triggerBatchSize())
        .bind("enabled", change.enabled())
        .bind("setEndpoint", change.setWorkerEndpoint())
        .bind("endpoint", change.workerEndpoint())
        .bind("setMaxAttempts", change.setMaxAttempts())
        .bind("maxAttempts", change.maxAttempts())
        .bind("setRetryDelay", change.setRetryDelaySeconds())
        .bind("retryDelay", change.retryDelaySeconds())
        .bind("setProvider", change.setLlmProvider())
        .bind("provider", change.llmProvider())
        .bind("setModel", change.setLlmModel())
        .bind("model", change.llmModel())
        .bind("setQaPolicy", change.setQaPolicy())
        .bind("qaPolicy", change.qaPolicy())
        .bind("q", queue).bind("s", stage)
        .map((rs, ctx) -> toConfig(rs)).findOne());
  }

  public List<StageBacklog> backlog() {
    return jdbi.withHandle(h -> h.createQuery(BACKLOG)
        .map((rs, ctx) -> new StageBacklog(rs.getString("queue"), rs.getString("stage"), rs.getLong("ready"),
            rs.getLong("in_flight"), rs.getLong("delayed"), (Integer) rs.getObject("oldest")))
        .list());
  }

  /**
   * What the dispatcher needs of each stage, read at a cost that does not grow with the backlog: ready
   * messages counted up to the larger of the stage's max_concurrency and trigger_batch_size, messages in
   * flight (held slots). Delayed counts and ages are not read.
   */
  public List<StageBacklog> dispatchable() {
    return jdbi.withHandle(h -> h.createQuery(DISPATCHABLE)
        .map((rs, ctx) -> new StageBacklog(rs.getString("queue"), rs.getString("stage"), rs.getLong("ready"),
            rs.getLong("in_flight"), 0, null))
        .list());
  }

  private static StageConfig toConfig(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new StageConfig(rs.getString("stage"), rs.getString("queue"), rs.getString("worker_endpoint"),
        rs.getInt("max_concurrency"), rs.getInt("trigger_batch_size"), rs.getBoolean("enabled"),
        rs.getObject("last_updated_at", OffsetDateTime.class), (Integer) rs.getObject("max_attempts"),
        (Integer) rs.getObject("retry_delay_seconds"), rs.getString("llm_provider"), rs.getString("llm_model"),
        rs.getString("qa_policy"));
  }
}
