package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.cli.client.EventStream;
import io.planperfect.cli.client.ServerEvent;
import io.planperfect.json.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Follows one job until it ends: over its event stream ({@code GET /api/v1/jobs/{id}/stream}, resumed
 * with the last event id if the connection drops) or, on a server without streams, by polling
 * {@code GET /api/v1/jobs/{id}}. Draws a bar per stage ({@link StageBars}), or with {@code --json} prints
 * each event's data (or each changed read); then prints how the job ended and answers its exit status.
 */
final class JobWatcher {
  private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");
  private static final int RECONNECTS = 3;

  private final ApiClient api;
  private final boolean json;
  private final Duration pollInterval;

  JobWatcher(ApiClient api, boolean json, Duration pollInterval) {
    this.api = api;
    this.json = json;
    this.pollInterval = pollInterval;
  }

  int watch(String jobId) throws InterruptedException {
    String path = "/api/v1/jobs/" + ApiClient.segment(jobId);
    try (StageBars bars = new StageBars()) {
      if (!follow(path + "/stream", bars)) {
        poll(path, bars);
      }
    }
    return finish(api.get(path));
  }

  /** True when the stream ran to its end; false when there is none (or it kept breaking off): poll instead. */
  private boolean follow(String path, StageBars bars) {
    String lastId = null;
    for (int attempt = 0; attempt <= RECONNECTS; attempt++) {
      Optional<EventStream> opened = api.stream(path, lastId);
      if (opened.isEmpty()) {
        return false;
      }
      try (EventStream stream = opened.get()) {
        for (ServerEvent event = stream.next(); event != null; event = stream.next()) {
          lastId = event.id() == null ? lastId : event.id();
          if (event.name().equals("end")) {
            return true;
          }
          show(event, bars);
        }
      } catch (UncheckedIOException brokenOff) {
        // resumed below from the last event id
      }
    }
    return false;
  }

  private void show(ServerEvent event, StageBars bars) {
    if (json) {
      JsonOutput.print(event.data());
      return;
    }
    JsonNode data = Json.read(event.data());
    if (event.name().equals("snapshot")) {
      bars.show(data);
    } else if (!event.name().equals("result")) {
      bars.apply(data);
    }
  }

  private void poll(String path, StageBars bars) throws InterruptedException {
    String last = null;
    while (true) {
      JsonNode job = api.get(path);
      String now = Json.write(job);
      if (json && !now.equals(last)) {
        JsonOutput.print(now);
      } else if (!json) {
        bars.show(job);
      }
      last = now;
      if (FINISHED.contains(job.path("status").asText())) {
        return;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  /** How the job ended, on standard output, and the exit status it means. */
  private int finish(JsonNode job) {
    String id = job.path("id").asText();
    String status = job.path("status").asText();
    JsonNode progress = job.path("progress");
    String stages = (progress.path("stages_completed").asInt() + progress.path("stages_skipped").asInt()) + "/"
        + progress.path("stages_total").asInt() + " stages";
    switch (status) {
      case "completed" -> {
        say("job " + id + " completed: " + stages);
        return Exits.OK;
      }
      case "failed" -> {
        JsonNode stage = failedStage(job);
        say("job " + id + " failed at stage " + stage.path("stage").asText(job.path("stage").asText()) + ": "
            + reason(stage) + " (" + stages + "; see ./planperfect dlq list)");
        return Exits.FAILED;
      }
      case "cancelled" -> {
        say("job " + id + " cancelled: " + stages);
        return Exits.CANCELLED;
      }
      default -> {
        say("job " + id + " is " + status + " (" + stages + ")");
        return Exits.ERROR;
      }
    }
  }

  private void say(String line) {
    if (!json) {
      System.out.println(line);
    }
  }

  private static JsonNode failedStage(JsonNode job) {
    for (JsonNode stage : job.path("stages")) {
      if (stage.path("status").asText().equals("dead_lettered")) {
        return stage;
      }
    }
    return Json.object();
  }

  private static String reason(JsonNode stage) {
    String reason = JsonOutput.text(stage, "dead_letter_reason");
    if (reason.isEmpty()) {
      reason = stage.path("last_error").path("message").asText(JsonOutput.text(stage, "last_error"));
    }
    return reason.isEmpty() ? "dead-lettered" : reason;
  }
}
