package io.planperfect.worker;

import java.util.Set;

/** Which stages a node works: all (a serve node), or those named by queue and/or stage (a worker node). */
public record StageFilter(Set<String> queues, Set<String> stages) {
  public static final StageFilter ALL = new StageFilter(Set.of(), Set.of());

  public StageFilter {
    queues = Set.copyOf(queues);
    stages = Set.copyOf(stages);
  }

  public boolean accepts(String queue, String stage) {
    return (queues.isEmpty() || queues.contains(queue)) && (stages.isEmpty() || stages.contains(stage));
  }
}
