package io.planperfect.pipeline;

import java.util.List;
import java.util.Optional;

/**
 * Where a job goes from a point in its pipeline: the stages it passes over on the way (marked
 * {@code skipped}) and the stage it runs next, or none when it has reached the end.
 */
public record NextStage(List<String> skipped, Optional<String> stage) {
  public NextStage {
    skipped = List.copyOf(skipped);
  }
}
