package io.planperfect.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A pipeline: its name, the queue its messages travel on, the job types that select it, its
 * ordered stages, the retry settings its stages inherit, and its intake rules. Adding a pipeline
 * means writing its handlers, its intake rules and one of these; every table and helper is shared.
 */
public record PipelineDefinition(
    String name, String queue, List<String> jobTypes, List<StageDefinition> stages, RetrySettings retry,
    IntakeRules intake) {

  public PipelineDefinition {
    jobTypes = List.copyOf(jobTypes);
    stages = List.copyOf(stages);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(intake, "intake");
    if (stages.isEmpty()) {
      throw new IllegalArgumentException("pipeline " + name + " has no stages");
    }
  }

  public PipelineDefinition(String name, String queue, List<String> jobTypes, List<StageDefinition> stages,
      RetrySettings retry) {
    this(name, queue, jobTypes, stages, retry, IntakeRules.ANY_OBJECT);
  }

  public PipelineDefinition(String name, String queue, List<String> jobTypes, List<StageDefinition> stages) {
    this(name, queue, jobTypes, stages, RetrySettings.NONE);
  }

  public PipelineDefinition withRetry(RetrySettings settings) {
    return new PipelineDefinition(name, queue, jobTypes, stages, settings, intake);
  }

  public PipelineDefinition withStages(List<StageDefinition> others) {
    return new PipelineDefinition(name, queue, jobTypes, others, retry, intake);
  }

  public PipelineDefinition withIntake(IntakeRules rules) {
    return new PipelineDefinition(name, queue, jobTypes, stages, retry, rules);
  }

  /** The stage definition's retry settings, each unset one taken from this pipeline's. */
  public RetrySettings retryFor(String stage) {
    return stage(stage).retry().orElse(retry);
  }

  public List<String> stageNames() {
    return stages.stream().map(StageDefinition::name).toList();
  }

  public int positionOf(String stage) {
    // why a loop: called per transition (after, hasStage, nextStage); stageNames() builds a list each call
    for (int position = 0; position < stages.size(); position++) {
      if (stages.get(position).name().equals(stage)) {
        return position;
      }
    }
    return -1;
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

  /**
   * Where a job with this payload starts when it asks to start at {@code initialStage}: the stages
   * before it and those whose skip predicate holds are passed over.
   */
  public NextStage start(String initialStage, ObjectNode payload) {
    List<String> skipped = new ArrayList<>(stageNames().subList(0, positionOf(initialStage)));
    return walk(positionOf(initialStage), payload, skipped);
  }

  /** Where a job with this payload goes once {@code stage} is done: the skip predicates decide, here and now. */
  public NextStage after(String stage, ObjectNode payload) {
    int position = positionOf(stage);
    if (position < 0) {
      throw new IllegalArgumentException("pipeline " + name + " has no stage " + stage);
    }
    return walk(position + 1, payload, new ArrayList<>());
  }

  private NextStage walk(int from, ObjectNode payload, List<String> skipped) {
    for (int position = from; position < stages.size(); position++) {
      StageDefinition candidate = stages.get(position);
      if (!candidate.skip().skips(payload)) {
        return new NextStage(skipped, Optional.of(candidate.name()));
      }
      skipped.add(candidate.name());
    }
    return new NextStage(skipped, Optional.empty());
  }

  public StageDefinition stage(String stage) {
    int position = positionOf(stage);
    if (position < 0) {
      throw new IllegalArgumentException("pipeline " + name + " has no stage " + stage);
    }
    return stages.get(position);
  }
}
