package io.planperfect.maintenance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.config.MaintenanceSettings;
import io.planperfect.json.Json;
import io.planperfect.maintenance.QueueDepth.StageDepth;
import io.planperfect.maintenance.StageActivity.StageWindow;
import io.planperfect.scheduler.RunContext;
import io.planperfect.scheduler.ScheduledAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Seed 003's {@code content_pipeline_metrics}: a snapshot per (queue, stage) in metrics_data —
 * depth (ready, in flight, delayed, oldest ready wait), throughput over the window (stage runs
 * completed, and per minute), run-time percentiles p50/p95/p99 of the runs completed in the
 * window, and failures (failed attempts, retries, dead letters). Names read
 * {@code <queue>.<stage>.<measure>}, e.g. {@code content.draft.latency_p95}; one run's rows share
 * one timestamp.
 */
public final class MetricsCollector implements ScheduledAction {
  static final String DEPTH = "queue_depth";
  static final String THROUGHPUT = "throughput";
  static final String LATENCY = "latency";
  static final String FAILURES = "failures";

  private static final String INSERT = """
      insert into metrics_data (metric_type, metric_name, metric_value, metric_unit, metadata)
      values (:type, :name, :value, :unit, cast(:metadata as jsonb))""";

  private final Jdbi jdbi;
  private final MaintenanceSettings settings;

  /** One value for one stage. */
  record Metric(String type, String queue, String stage, String measure, double value, String unit) {
    String name() {
      return queue + "." + stage + "." + measure;
    }
  }

  public MetricsCollector(Jdbi jdbi, MaintenanceSettings settings) {
    this.jdbi = jdbi;
    this.settings = settings;
  }

  @Override
  public ObjectNode run(RunContext run) {
    return jdbi.inTransaction(h -> {
      List<Metric> metrics = collect(h);
      write(h, metrics, run);
      long stages = metrics.stream().map(m -> m.queue() + ":" + m.stage()).distinct().count();
      return Json.object().put("metrics", metrics.size()).put("stages", stages)
          .put("window_minutes", settings.metricsWindow().toMinutes());
    });
  }

  List<Metric> collect(Handle h) {
    Map<String, StageWindow> activity = StageActivity.byStage(h, settings.metricsWindow()).stream()
        .collect(Collectors.toMap(StageWindow::key, Function.identity()));
    List<Metric> metrics = new ArrayList<>();
    for (StageDepth d : QueueDepth.byStage(h)) {
      metrics.addAll(depth(d));
      StageWindow w = activity.get(d.key());
      if (w != null) {
        metrics.addAll(throughput(w));
        metrics.addAll(latency(w));
        metrics.addAll(failures(w));
      }
    }
    return metrics;
  }

  private static List<Metric> depth(StageDepth d) {
    return List.of(
        new Metric(DEPTH, d.queue(), d.stage(), "ready", d.ready(), "messages"),
        new Metric(DEPTH, d.queue(), d.stage(), "in_flight", d.inFlight(), "messages"),
        new Metric(DEPTH, d.queue(), d.stage(), "delayed", d.delayed(), "messages"),
        new Metric(DEPTH, d.queue(), d.stage(), "oldest_ready_wait", d.waitSeconds(), "seconds"));
  }

  private List<Metric> throughput(StageWindow w) {
    double perMinute = w.completed() / (double) settings.metricsWindow().toMinutes();
    return List.of(
        new Metric(THROUGHPUT, w.queue(), w.stage(), "completed", w.completed(), "stages"),
        new Metric(THROUGHPUT, w.queue(), w.stage(), "completed_per_minute", perMinute, "stages/min"));
  }

  /** Percentiles only when some run completed: no runs is no data, not zero milliseconds. */
  private static List<Metric> latency(StageWindow w) {
    if (w.p50Ms() == null) {
      return List.of();
    }
    return List.of(
        new Metric(LATENCY, w.queue(), w.stage(), "latency_p50", w.p50Ms(), "ms"),
        new Metric(LATENCY, w.queue(), w.stage(), "latency_p95", w.p95Ms(), "ms"),
        new Metric(LATENCY, w.queue(), w.stage(), "latency_p99", w.p99Ms(), "ms"));
  }

  private static List<Metric> failures(StageWindow w) {
    return List.of(
        new Metric(FAILURES, w.queue(), w.stage(), "errors", w.errors(), "attempts"),
        new Metric(FAILURES, w.queue(), w.stage(), "retries", w.retries(), "attempts"),
        new Metric(FAILURES, w.queue(), w.stage(), "dead_lettered", w.deadLettered(), "jobs"));
  }

  private void write(Handle h, List<Metric> metrics, RunContext run) {
    PreparedBatch batch = h.prepareBatch(INSERT);
    for (Metric m : metrics) {
      ObjectNode metadata = Json.object().put("trigger_type", run.triggerType()).put("run_id", run.runId())
          .put("queue", m.queue()).put("stage", m.stage()).put("window_minutes", settings.metricsWindow().toMinutes());
      batch.bind("type", m.type()).bind("name", m.name()).bind("value", m.value()).bind("unit", m.unit())
          .bind("metadata", Json.write(metadata)).add();
    }
    if (!metrics.isEmpty()) {
      batch.execute();
    }
  }
}
