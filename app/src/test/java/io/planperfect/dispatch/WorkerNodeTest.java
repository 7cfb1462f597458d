package io.planperfect.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import io.planperfect.worker.StageFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A worker-only node for some stages and a serve node for the others finish jobs together on one database. */
class WorkerNodeTest {

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void a_serve_node_and_a_worker_node_for_draft_and_qa_complete_every_job_together() {
    PipelineRegistry pipelines = new PipelineRegistry(List.of(ContentPipeline.definition()));
    StageFilter allButDraftAndQa = new StageFilter(Set.of(), Set.of("research", "outline", "export", "complete"));
    try (PlanPerfectNode serve = PlanPerfectNode.start(TestNode.settings(), pipelines,
             new NodeOptions(allButDraftAndQa, true, StageLimits.none()))) {
      Http http = new Http(serve.port(), TestNode.ANON_KEY);
      for (int i = 0; i < 5; i++) {
        assertThat(http.post("/functions/v1/content-intake", """
            {"job_type": "article", "payload": {"title": "Shared %d", "keywords": ["shared"], "word_count": 150}}"""
            .formatted(i)).status()).isEqualTo(201);
      }
      await().atMost(Duration.ofSeconds(20)).until(() ->
          TestDatabase.count("select count(*) from job_stages where stage = 'outline' and status = 'completed'") == 5);
      assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'draft' and status = 'completed'")).isZero();

      try (PlanPerfectNode worker = PlanPerfectNode.start(TestNode.settings(), pipelines,
               NodeOptions.worker(new StageFilter(Set.of("content"), Set.of("draft", "qa")), Map.of()))) {
        assertThat(worker.port()).isEqualTo(-1);
        await().atMost(Duration.ofSeconds(30)).until(() ->
            TestDatabase.count("select count(*) from jobs where status = 'completed'") == 5);
      }
    }
  }
}
