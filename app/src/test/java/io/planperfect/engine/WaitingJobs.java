package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Jobs left waiting at their first stage, unclaimed: submitted by a node whose first stage is
 * disabled, which stops before the stage is enabled again. A test then claims and completes their
 * stages itself, against the real database.
 */
final class WaitingJobs {
  private WaitingJobs() {}

  static List<UUID> submit(PipelineDefinition pipeline, int count) {
    String first = pipeline.stages().get(0).name();
    List<UUID> ids = new ArrayList<>();
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(pipeline)))) {
      // why after the start: the node writes the pipeline's config rows when it starts
      setEnabled(first, false);
      for (int i = 0; i < count; i++) {
        ids.add(node.intake().submit(new NewJob(pipeline, "article", null, Json.object().put("title", "job " + i), first, 0)));
      }
    }
    setEnabled(first, true);
    return ids;
  }

  private static void setEnabled(String stage, boolean enabled) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("update content_stage_config set enabled = :enabled where stage = :stage")
        .bind("enabled", enabled).bind("stage", stage).execute());
  }
}
