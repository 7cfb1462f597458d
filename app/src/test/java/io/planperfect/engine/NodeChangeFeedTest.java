package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A node's change feed carries a job from intake to its end, change by change, in the trail's order. */
class NodeChangeFeedTest {

  @Test
  void a_subscriber_sees_every_change_of_a_job_the_node_runs_in_order() {
    TestDatabase.clean();
    List<JobChange> seen = new CopyOnWriteArrayList<>();
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())))) {
      JobChanges.Subscription subscription = node.changes().subscribe(seen::add);
      UUID job = node.intake().submit(new io.planperfect.engine.NewJob(ContentPipeline.definition(), "article", null,
          (ObjectNode) Json.read("{\"title\":\"Feeds\",\"keywords\":[\"feed\"],\"word_count\":200}"), "outline", 0));

      await().atMost(Duration.ofSeconds(30)).until(() ->
          seen.stream().anyMatch(c -> c.jobId().equals(job) && c.event().equals("job_completed")));

      List<String> trail = seen.stream().filter(c -> c.jobId().equals(job))
          .map(c -> (c.stage() == null ? "" : c.stage()) + ":" + c.event()).toList();
      assertThat(trail).containsExactlyElementsOf(TestDatabase.jdbi().withHandle(h -> h.createQuery(
              "select coalesce(stage, '') || ':' || event_type from job_events where job_id = :id order by seq")
          .bind("id", job).mapTo(String.class).list()));
      assertThat(trail).startsWith("research:skipped", "outline:queued", "outline:processing", "outline:completed")
          .endsWith("complete:completed", "complete:job_completed");
      assertThat(seen).extracting(JobChange::seq).isSorted();
      assertThat(subscription.position()).isEqualTo(seen.get(seen.size() - 1).seq());
    }
  }
}
