package io.planperfect.pipeline;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pipelines a node runs, found by job type (intake) or by queue (workers). */
public final class PipelineRegistry {
  private final List<PipelineDefinition> all;
  private final Map<String, PipelineDefinition> byJobType = new LinkedHashMap<>();
  private final Map<String, PipelineDefinition> byQueue = new LinkedHashMap<>();

  public PipelineRegistry(List<PipelineDefinition> pipelines) {
    this.all = List.copyOf(pipelines);
    for (PipelineDefinition pipeline : all) {
      pipeline.jobTypes().forEach(type -> putOnce(byJobType, type, pipeline));
      putOnce(byQueue, pipeline.queue(), pipeline);
    }
  }

  public List<PipelineDefinition> all() {
    return all;
  }

  public Optional<PipelineDefinition> forJobType(String jobType) {
    return Optional.ofNullable(byJobType.get(jobType));
  }

  public PipelineDefinition forQueue(String queue) {
    PipelineDefinition pipeline = byQueue.get(queue);
    if (pipeline == null) {
      throw new IllegalArgumentException("no pipeline runs on queue " + queue);
    }
    return pipeline;
  }

  public Optional<PipelineDefinition> byName(String name) {
    return all.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  public List<String> jobTypes() {
    return List.copyOf(byJobType.keySet());
  }

  private static void putOnce(Map<String, PipelineDefinition> map, String key, PipelineDefinition pipeline) {
    if (map.putIfAbsent(key, pipeline) != null) {
      throw new IllegalArgumentException("two pipelines claim " + key);
    }
  }
}
