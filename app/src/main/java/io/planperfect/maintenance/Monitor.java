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
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Seed 003's {@code content_pipeline_monitor}: raises alerts into monitoring_alerts for dead
 * letters piling up, ready messages waiting too long, stages failing too often and stages that
 * have work but make no progress; refreshes alerts that are still true and resolves those that
 * are not. Each run is one transaction, serialised across nodes.
 */
public final class Monitor implements ScheduledAction {
  static final String DEAD_LETTERS = "dead_letters";
  static final String OLD_READY_MESSAGE = "old_ready_message";
  static final String FAILURE_RATE = "failure_rate";
  static final String STALLED_STAGE = "stalled_stage";
  private static final List<String> TYPES = List.of(DEAD_LETTERS, OLD_READY_MESSAGE, FAILURE_RATE, STALLED_STAGE);

  /** A wait this many times the threshold is critical rather than a warning. */
  static final int CRITICAL_WAIT_FACTOR = 4;

  private static final String OPEN_DEAD_LETTERS = """
      select queue_name,
             count(*) filter (where routed_at > now() - make_interval(secs => :window)) as recent,
             count(*) as open
        from dead_letters where resolved_at is null
       group by queue_name order by queue_name""";

  private final Jdbi jdbi;
  private final MaintenanceSettings settings;

  public Monitor(Jdbi jdbi, MaintenanceSettings settings) {
    this.jdbi = jdbi;
    this.settings = settings;
  }

  @Override
  public ObjectNode run(RunContext run) {
    return jdbi.inTransaction(h -> {
      // why: a manual and a scheduled run on two nodes must not resolve each other's fresh alerts.
      h.execute("select pg_advisory_xact_lock(hashtextextended('planperfect:monitor', 0))");
      List<Alert> alerts = detect(h);
      int raised = 0;
      for (Alert alert : alerts) {
        raised += Alerts.raise(h, alert, run) ? 1 : 0;
      }
      int resolved = Alerts.resolveCleared(h, TYPES, alerts, run);
      return Json.object().put("raised", raised).put("refreshed", alerts.size() - raised).put("resolved", resolved)
          .put("active", Alerts.active(h));
    });
  }

  List<Alert> detect(Handle h) {
    List<StageDepth> depth = QueueDepth.byStage(h);
    List<StageWindow> windows = StageActivity.byStage(h, settings.monitorWindow());
    Map<String, StageWindow> activity = windows.stream().collect(Collectors.toMap(StageWindow::key, Function.identity()));
    List<Alert> alerts = new ArrayList<>(deadLetterAlerts(h));
    depth.forEach(d -> oldReadyAlert(d).ifPresent(alerts::add));
    windows.forEach(w -> failureRateAlert(w).ifPresent(alerts::add));
    depth.forEach(d -> stalledAlert(d, activity.get(d.key())).ifPresent(alerts::add));
    return alerts;
  }

  private List<Alert> deadLetterAlerts(Handle h) {
    return h.createQuery(OPEN_DEAD_LETTERS).bind("window", settings.monitorWindow().toSeconds())
        .map((rs, ctx) -> deadLetterAlert(rs.getString("queue_name"), rs.getLong("recent"), rs.getLong("open")))
        .stream().flatMap(Optional::stream).toList();
  }

  private Optional<Alert> deadLetterAlert(String queue, long recent, long open) {
    boolean growing = recent > settings.deadLettersMax();
    boolean piling = open > settings.openDeadLettersMax();
    if (!growing && !piling) {
      return Optional.empty();
    }
    String message = "Queue %s has %d open dead letters, %d of them from the last %d minutes"
        .formatted(queue, open, recent, settings.monitorWindow().toMinutes());
    ObjectNode details = Json.object().put("queue", queue).put("recent_dead_letters", recent)
        .put("open_dead_letters", open).put("window_minutes", settings.monitorWindow().toMinutes())
        .put("recent_threshold", settings.deadLettersMax()).put("open_threshold", settings.openDeadLettersMax());
    return Optional.of(new Alert(DEAD_LETTERS, queue, growing && piling ? Alert.CRITICAL : Alert.WARNING,
        message, details));
  }

  private Optional<Alert> oldReadyAlert(StageDepth d) {
    long threshold = settings.oldestReadyMax().toSeconds();
    if (d.ready() == 0 || d.waitSeconds() <= threshold) {
      return Optional.empty();
    }
    String message = "Stage %s has %d ready messages; the oldest has waited %d s (threshold %d s)%s"
        .formatted(d.key(), d.ready(), Math.round(d.waitSeconds()), threshold, d.enabled() ? "" : "; the stage is paused");
    String severity = d.waitSeconds() > threshold * CRITICAL_WAIT_FACTOR ? Alert.CRITICAL : Alert.WARNING;
    return Optional.of(new Alert(OLD_READY_MESSAGE, d.key(), severity, message,
        stageDetails(d).put("threshold_seconds", threshold)));
  }

  private Optional<Alert> failureRateAlert(StageWindow w) {
    int threshold = settings.failureRatePercent();
    double rate = w.failureRatePercent();
    if (w.attempts() < settings.failureRateMinSample() || rate <= threshold) {
      return Optional.empty();
    }
    String message = "Stage %s failed %d of %d attempts (%.1f%%) in the last %d minutes (threshold %d%%)"
        .formatted(w.key(), w.errors(), w.attempts(), rate, settings.monitorWindow().toMinutes(), threshold);
    String severity = rate >= Math.min(100, 2 * threshold) ? Alert.CRITICAL : Alert.WARNING;
    ObjectNode details = Json.object().put("queue", w.queue()).put("stage", w.stage()).put("errors", w.errors())
        .put("completed", w.completed()).put("failure_rate_percent", rate).put("threshold_percent", threshold)
        .put("min_sample", settings.failureRateMinSample()).put("window_minutes", settings.monitorWindow().toMinutes());
    return Optional.of(new Alert(FAILURE_RATE, w.key(), severity, message, details));
  }

  /**
   * Work waiting and nothing finishing: ready messages of an enabled stage, the oldest waiting
   * longer than the old-message threshold (a burst that just arrived is not a stall), and no
   * stage run completed in the window.
   */
  private Optional<Alert> stalledAlert(StageDepth d, StageWindow w) {
    long completed = w == null ? 0 : w.completed();
    if (!d.enabled() || d.ready() == 0 || d.waitSeconds() <= settings.oldestReadyMax().toSeconds() || completed > 0) {
      return Optional.empty();
    }
    String message = "Stage %s has %d ready messages and completed nothing in the last %d minutes"
        .formatted(d.key(), d.ready(), settings.monitorWindow().toMinutes());
    return Optional.of(new Alert(STALLED_STAGE, d.key(), Alert.CRITICAL, message,
        stageDetails(d).put("completed", 0).put("window_minutes", settings.monitorWindow().toMinutes())));
  }

  private static ObjectNode stageDetails(StageDepth d) {
    return Json.object().put("queue", d.queue()).put("stage", d.stage()).put("ready", d.ready())
        .put("in_flight", d.inFlight()).put("oldest_ready_wait_seconds", Math.round(d.waitSeconds()))
        .put("enabled", d.enabled());
  }
}
