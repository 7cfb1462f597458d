package io.planperfect.dispatch;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Seed 000's answer to a dispatch cycle. */
public record DispatchReport(
    String message,
    List<Dispatch> dispatches,
    List<DispatchError> errors,
    @JsonProperty("duration_ms") long durationMs) {

  public record Dispatch(String stage, String queue, @JsonProperty("workers_triggered") int workersTriggered) {}

  public record DispatchError(String stage, String queue, String error) {}
}
