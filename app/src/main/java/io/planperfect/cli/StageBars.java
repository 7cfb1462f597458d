package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;

/**
 * One progress bar per stage of a job, in the pipeline's order: a stage's bar opens when the stage is
 * first queued (or found already done), shows its state and attempt, and fills and closes when the stage
 * is done (completed or skipped) or stops (dead-lettered, cancelled). Fed from a job read
 * ({@link #show}) or from the job stream's changes ({@link #apply}).
 */
final class StageBars implements AutoCloseable {
  private static final Set<String> DONE = Set.of("completed", "skipped");
  private static final Set<String> STOPPED = Set.of("dead_lettered", "cancelled");
  private static final int MAX_MESSAGE = 72;

  private final Map<String, ProgressBar> open = new LinkedHashMap<>();
  private final Set<String> closed = new HashSet<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private final Map<String, String> errors = new HashMap<>();
  private int nameWidth;

  /** The job as read (a snapshot or a poll): every stage's status. */
  void show(JsonNode job) {
    for (JsonNode stage : job.path("stages")) {
      nameWidth = Math.max(nameWidth, stage.path("stage").asText().length());
    }
    for (JsonNode stage : job.path("stages")) {
      String name = stage.path("stage").asText();
      attempts.put(name, stage.path("attempt_count").asInt());
      String error = stage.path("last_error").path("message").asText("");
      if (!error.isEmpty()) {
        errors.put(name, error);
      }
      String status = stage.path("status").asText();
      update(name, status, switch (status) {
        case "dead_lettered" -> stage.path("dead_letter_reason").asText("");
        case "error" -> stage.hasNonNull("next_retry_at") ? "at " + JsonOutput.clock(stage, "next_retry_at") : null;
        default -> null;
      });
    }
  }

  /** One change of the job stream ({@code stage, event, message, metadata}). */
  void apply(JsonNode change) {
    String stage = change.path("stage").asText("");
    if (stage.isEmpty()) {
      return;
    }
    JsonNode attempt = change.path("metadata").path("attempt");
    if (attempt.isInt()) {
      attempts.put(stage, attempt.asInt());
    }
    String message = change.path("message").asText("");
    switch (change.path("event").asText()) {
      case "processing" -> update(stage, "processing", null);
      case "queued", "completed", "skipped", "cancelled" -> update(stage, change.path("event").asText(), null);
      case "dead_lettered" -> update(stage, "dead_lettered", message);
      case "error", "failed" -> {
        errors.put(stage, message.replaceFirst("^Stage \\S+ failed: ", ""));
        update(stage, "failed", null);
      }
      case "retry_scheduled" -> update(stage, "retrying", retryIn(change.path("metadata").path("delay_ms").asLong(-1)));
      default -> { }
    }
  }

  private void update(String stage, String status, String detail) {
    if (closed.contains(stage) || status.equals("pending")) {
      return;
    }
    ProgressBar bar = open.get(stage);
    if (bar == null) {
      bar = openBar(stage);
    }
    bar.setExtraMessage(shorten(describe(stage, status, detail)));
    if (DONE.contains(status)) {
      bar.stepTo(1);
    }
    // why: draw every change at once, not at the next tick: a short state would otherwise never be seen
    bar.refresh();
    if (DONE.contains(status) || STOPPED.contains(status)) {
      close(stage);
    }
  }

  private ProgressBar openBar(String stage) {
    // why: the bars share one line on a pipe; a stage still open when a later one starts is left as it stands
    new HashSet<>(open.keySet()).forEach(this::close);
    ProgressBar bar = Bars.open(pad(stage), 1);
    open.put(stage, bar);
    return bar;
  }

  /** "processing (attempt 2)", "retrying in 110s: fetch failed: ...", "dead-lettered: ...", "completed". */
  private String describe(String stage, String status, String detail) {
    int attempt = attempts.getOrDefault(stage, 0);
    String error = errors.get(stage);
    return switch (status) {
      case "processing" -> "processing" + (attempt > 1 ? " (attempt " + attempt + ")" : "");
      case "failed", "error", "retrying" -> "retrying" + (detail == null ? "" : " " + detail)
          + (error == null ? "" : ": " + error);
      case "dead_lettered" -> "dead-lettered" + (detail == null || detail.isEmpty() ? "" : ": " + detail);
      default -> status.replace('_', '-');
    };
  }

  /** Room for the bar: a long error is cut (the whole one is in 'status ID'). */
  private static String shorten(String message) {
    return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE - 1) + "…";
  }

  private static String retryIn(long delayMillis) {
    return delayMillis < 0 ? null : "in " + Math.max(1, Math.round(delayMillis / 1000.0)) + "s";
  }

  private String pad(String stage) {
    return stage + " ".repeat(Math.max(0, nameWidth - stage.length()));
  }

  private void close(String stage) {
    ProgressBar bar = open.remove(stage);
    if (bar != null) {
      bar.close();
      closed.add(stage);
    }
  }

  @Override
  public void close() {
    new HashSet<>(open.keySet()).forEach(this::close);
  }
}
