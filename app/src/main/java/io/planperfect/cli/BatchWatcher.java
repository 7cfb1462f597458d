package io.planperfect.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.cli.client.ApiClient;
import io.planperfect.cli.client.EventStream;
import io.planperfect.cli.client.ServerEvent;
import io.planperfect.json.Json;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;

/**
 * Follows a batch until it finishes: one bar of its finished jobs out of all, with the counts, over
 * {@code GET /api/v1/batches/{id}/stream} or by polling {@code GET /api/v1/batches/{id}}; then the final
 * counts on standard output and the exit status (0 completed, 3 with failures, 4 cancelled).
 */
final class BatchWatcher {
  private static final int RECONNECTS = 3;

  private final ApiClient api;
  private final boolean json;
  private final Duration pollInterval;
  private ProgressBar bar;

  BatchWatcher(ApiClient api, boolean json, Duration pollInterval) {
    this.api = api;
    this.json = json;
    this.pollInterval = pollInterval;
  }

  int watch(String batchId) throws InterruptedException {
    String path = "/api/v1/batches/" + ApiClient.segment(batchId);
    try {
      if (!follow(path + "/stream")) {
        poll(path);
      }
    } finally {
      if (bar != null) {
        bar.close();
      }
    }
    return finish(api.get(path + "?limit=1"));
  }

  private boolean follow(String path) {
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
          if (json) {
            JsonOutput.print(event.data());
          } else {
            show(Json.read(event.data()));
          }
        }
      } catch (UncheckedIOException brokenOff) {
        // resumed below from the last event id
      }
    }
    return false;
  }

  private void poll(String path) throws InterruptedException {
    String last = null;
    while (true) {
      JsonNode batch = api.get(path + "?limit=1");
      batch = ((ObjectNode) batch).without("jobs");
      String now = Json.write(batch);
      if (json && !now.equals(last)) {
        JsonOutput.print(now);
      } else if (!json) {
        show(batch);
      }
      last = now;
      if (!batch.path("status").asText().equals("processing")) {
        return;
      }
      Thread.sleep(pollInterval.toMillis());
    }
  }

  private void show(JsonNode batch) {
    if (bar == null) {
      bar = Bars.open("batch", Math.max(1, batch.path("total_jobs").asLong()));
    }
    bar.stepTo(finished(batch));
    bar.setExtraMessage(counts(batch));
    bar.refresh();
  }

  private int finish(JsonNode batch) {
    String status = batch.path("status").asText();
    if (!json) {
      System.out.println("batch " + batch.path("id").asText(batch.path("batch_id").asText()) + " " + status + ": "
          + counts(batch) + " of " + batch.path("total_jobs").asLong());
    }
    return switch (status) {
      case "completed" -> Exits.OK;
      case "completed_with_failures" -> Exits.FAILED;
      case "cancelled" -> Exits.CANCELLED;
      default -> Exits.ERROR;
    };
  }

  private static long finished(JsonNode batch) {
    return batch.path("completed").asLong() + batch.path("failed").asLong() + batch.path("cancelled").asLong();
  }

  private static String counts(JsonNode batch) {
    return batch.path("completed").asLong() + " completed, " + batch.path("failed").asLong() + " failed, "
        + batch.path("cancelled").asLong() + " cancelled";
  }
}
