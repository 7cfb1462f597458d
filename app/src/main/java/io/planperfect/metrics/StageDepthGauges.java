package io.planperfect.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per pipeline and stage, from the database (so the same on every node): messages ready, in flight and
 * delayed, how long the oldest ready one has waited, the stage's concurrency limit and whether it is
 * enabled. One query over {@code stage_backlog} (R__queue_metrics.sql) for every pipeline, kept for
 * {@link #TTL}: a scrape every few seconds, or several scrapers, cost one cheap query per window.
 * While the database does not answer the gauges read NaN.
 */
public final class StageDepthGauges {
  static final Duration TTL = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(StageDepthGauges.class);
  private static final String BY_STAGE = """
      select q.pipeline, b.stage, b.ready_count, b.in_flight_count, b.delayed_count, b.oldest_ready_age_sec,
             b.max_concurrency, b.enabled
        from unnest(cast(:pipelines as text[]), cast(:queues as text[])) as q(pipeline, queue)
        cross join lateral stage_backlog(q.queue) b""";

  record Depth(long ready, long inFlight, long delayed, Integer oldestReadyAgeSec, int limit, boolean enabled) {}

  private record Snapshot(Map<String, Depth> byStage, long readAtNanos, boolean failed) {}

  private final Jdbi jdbi;
  private final List<String> pipelines;
  private final List<String> queues;
  private final Duration ttl;
  private volatile Snapshot snapshot = new Snapshot(Map.of(), 0, true);
  private volatile boolean everRead;

  public StageDepthGauges(Jdbi jdbi, PipelineRegistry registry, MeterRegistry meters) {
    this(jdbi, registry, meters, TTL);
  }

  StageDepthGauges(Jdbi jdbi, PipelineRegistry registry, MeterRegistry meters, Duration ttl) {
    this.jdbi = jdbi;
    this.ttl = ttl;
    this.pipelines = registry.all().stream().map(PipelineDefinition::name).toList();
    this.queues = registry.all().stream().map(PipelineDefinition::queue).toList();
    for (PipelineDefinition pipeline : registry.all()) {
      for (String stage : pipeline.stageNames()) {
        register(meters, pipeline, stage);
      }
    }
  }

  private void register(MeterRegistry meters, PipelineDefinition pipeline, String stage) {
    String key = pipeline.name() + "/" + stage;
    String[] tags = {"pipeline", pipeline.name(), "queue", pipeline.queue(), "stage", stage};
    gauge(meters, "planperfect.stage.messages", "Messages of the stage, by state", key, tags, "state", "ready", Depth::ready);
    gauge(meters, "planperfect.stage.messages", "Messages of the stage, by state", key, tags, "state", "in_flight",
        Depth::inFlight);
    gauge(meters, "planperfect.stage.messages", "Messages of the stage, by state", key, tags, "state", "delayed",
        Depth::delayed);
    gauge(meters, "planperfect.stage.oldest.ready.age.seconds", "How long the oldest ready message has waited", key, tags,
        null, null, d -> d.oldestReadyAgeSec() == null ? 0 : d.oldestReadyAgeSec());
    gauge(meters, "planperfect.stage.limit", "The stage's max_concurrency across the cluster", key, tags, null, null,
        Depth::limit);
    gauge(meters, "planperfect.stage.enabled", "1 when the stage is enabled", key, tags, null, null,
        d -> d.enabled() ? 1 : 0);
  }

  private void gauge(MeterRegistry meters, String name, String description, String key, String[] tags, String extraKey,
      String extraValue, ToDoubleFunction<Depth> value) {
    // why strong: Micrometer holds a gauge's object weakly, and nothing else keeps this one
    Gauge.Builder<StageDepthGauges> builder = Gauge.builder(name, this, g -> g.read(key, value))
        .strongReference(true).description(description).tags(tags);
    if (extraKey != null) {
      builder.tag(extraKey, extraValue);
    }
    builder.register(meters);
  }

  private double read(String key, ToDoubleFunction<Depth> value) {
    Snapshot current = current();
    if (current.failed()) {
      return Double.NaN;
    }
    Depth depth = current.byStage().get(key);
    return depth == null ? 0 : value.applyAsDouble(depth);
  }

  private Snapshot current() {
    Snapshot current = snapshot;
    if (everRead && System.nanoTime() - current.readAtNanos() < ttl.toNanos()) {
      return current;
    }
    synchronized (this) {
      if (!everRead || System.nanoTime() - snapshot.readAtNanos() >= ttl.toNanos()) {
        snapshot = load();
        everRead = true;
      }
      return snapshot;
    }
  }

  private Snapshot load() {
    try {
      Map<String, Depth> byStage = jdbi.withHandle(h -> h.createQuery(BY_STAGE)
          .bindArray("pipelines", String.class, pipelines)
          .bindArray("queues", String.class, queues)
          .reduceRows(new HashMap<String, Depth>(), (map, row) -> {
            map.put(row.getColumn("pipeline", String.class) + "/" + row.getColumn("stage", String.class), new Depth(
                row.getColumn("ready_count", Long.class), row.getColumn("in_flight_count", Long.class),
                row.getColumn("delayed_count", Long.class), row.getColumn("oldest_ready_age_sec", Integer.class),
                row.getColumn("max_concurrency", Integer.class), row.getColumn("enabled", Boolean.class)));
            return map;
          }));
      return new Snapshot(byStage, System.nanoTime(), false);
    } catch (RuntimeException e) {
      log.warn("could not read the stage depths for /metrics: {}", e.toString());
      return new Snapshot(Map.of(), System.nanoTime(), true);
    }
  }
}
