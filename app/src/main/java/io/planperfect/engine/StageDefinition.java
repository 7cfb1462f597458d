package io.planperfect.engine;

import java.util.Objects;

/** One stage of a pipeline: its name and the handler that does its work. */
public record StageDefinition(String name, StageHandler handler) {
  public StageDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(handler, "handler");
  }
}
