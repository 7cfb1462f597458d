package io.planperfect.pipeline;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline: its name, the queue its messages travel on, the job types that select it, its
 * ordered stages, and the retry settings its stages inherit. Adding a pipeline means writing its
 * handlers and one of these; every table and helper is shared.
 */
public record PipelineDefinition(
    String name, String queue, List<String> jobTypes, List<StageDefinition> stages, RetrySettings retry) {

  public PipelineDefinition {
    jobTypes = List.copyOf(jobTypes);
    stages = List.copyOf(stages);
    Objects.requireNonNull(retry, "retry");
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no stages");
    }
  }

  public PipelineDefinition(String name, String queue, List<String> jobTypes, List<StageDefinition> stages) {
    this(name, queue, jobTypes, stages, RetrySettings.NONE);
  }

  public PipelineDefinition withRetry(RetrySettings settings) {
    return new PipelineDefinition(name, queue, jobTypes, stages, settings);
  }

  public PipelineDefinition withStages(List<StageDefinition> others) {
    return new PipelineDefinition(name, queue, jobTypes, others, retry);
  }

  /** The stage definition's retry settings, each unset one taken from this pipeline's. */
  public RetrySettings retryFor(String stage) {
    return stage(stage).retry().orElse(retry);
  }

  public List<String> stageNames() {
    return stages.stream().map(StageDefinition::name).toList();
  }

  public int positionOf(String stage) {
    return stageNames().indexOf(stage);
  }

  public boolean hasStage(String stage) {
    return positionOf(stage) >= 0;
  }

  public String firstStage() {
    return stages.get(0).name();
  }

  /** The stage after the given one, or empty when it is the last. */
  public Optional<String> nextStage(String stage) {
    int position = positionOf(stage);
    if (position < 0) {
      throw new IllegalArgumentException("pipeline " + name + " has no stage " + stage);
    }
    return position + 1 < stages.size()
        ? Optional.of(stages.get(position + 1).name())
        : Optional.empty();
  }

  public StageHandler handler(String stage) {
    return stage(stage).handler();
  }

  private StageDefinition stage(String stage) {
    return stages.stream()
        .filter(s -> s.name().equals(stage))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("pipeline " + name + " has no stage " + stage));
  }
}
