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

  private final Map<String, ProgressBar> open = new LinkedHashMap<>();
  private final Set<String> closed = new HashSet<>();
  private final Map<String, Integer> attempts = new HashMap<>();
  private int nameWidth;

  /** The job as read (a snapshot or a poll): every stage's status. */
  void show(JsonNode job) {
    for (JsonNode stage : job.path("stages")) {
      nameWidth = Math.max(nameWidth, stage.path("stage").asText().length());
    }
    for (JsonNode stage : job.path("stages")) {
      String name = stage.path("stage").asText();
      attempts.put(name, stage.path("attempt_count").asInt());
      update(name, stage.path("status").asText());
    }
  }

  /** One change of the job stream: its stage and event. */
  void apply(String stage, String event) {
    if (stage == null || stage.isEmpty()) {
      return;
    }
    switch (event) {
      case "processing" -> {
        attempts.merge(stage, 1, Integer::sum);
        update(stage, "processing");
      }
      case "queued", "completed", "skipped", "dead_lettered", "cancelled" -> update(stage, event);
      case "retry_scheduled", "failed", "error" -> update(stage, "retrying");
      default -> { }
    }
  }

  private void update(String stage, String status) {
    if (closed.contains(stage) || status.equals("pending")) {
      return;
    }
    ProgressBar bar = open.computeIfAbsent(stage, this::openBar);
    bar.setExtraMessage(describe(stage, status));
    if (DONE.contains(status)) {
      bar.stepTo(1);
    }
    if (DONE.contains(status) || STOPPED.contains(status)) {
      close(stage);
    }
  }

  private ProgressBar openBar(String stage) {
    // why: the bars share one line on a pipe; a stage still open when a later one starts is left as it stands
    new HashSet<>(open.keySet()).forEach(this::close);
    return Bars.open(pad(stage), 1);
  }

  private String describe(String stage, String status) {
    int attempt = attempts.getOrDefault(stage, 0);
    return switch (status) {
      case "processing", "retrying", "error" -> (status.equals("error") ? "retrying" : status)
          + (attempt > 1 ? " (attempt " + attempt + ")" : "");
      default -> status.replace('_', '-');
    };
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
