package io.planperfect.engine;

import io.planperfect.maintenance.ContentAutomation;
import io.planperfect.pipeline.PipelineRegistry;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.scheduler.RunContext;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seed 003's content_pipeline_main: one run promotes due scheduled jobs and repairs jobs that lost their message. */
class ContentAutomationTest {
  private static final PipelineRegistry PIPELINES = new PipelineRegistry(List.of(ContentPipeline.definition()));

  private PlanPerfectNode node;
  private WorkAnnouncer announcer;
  private ContentAutomation automation;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(PIPELINES);
    Jdbi jdbi = TestDatabase.jdbi();
    JobRepository jobs = new JobRepository();
    announcer = new WorkAnnouncer(jdbi, new WorkSignals());
    automation = new ContentAutomation(new ScheduledJobs(jdbi, jobs, PIPELINES, node.intake()),
        new Sweeper(jdbi, jobs, new MessageQueue(jdbi), PIPELINES, announcer, Duration.ofMinutes(1), JobChangeSignal.NONE));
    // why: with the first stage paused, every message stays where the run put it, for counting
    jdbi.useHandle(h -> h.execute("update content_stage_config set enabled = false"));
  }

  @AfterEach
  void stop() {
    announcer.close();
    node.close();
  }

  private UUID submit(Instant scheduledAt) {
    ObjectNode payload = Json.object().put("title", "t");
    payload.putArray("keywords").add("k");
    return node.intake().submit(
        new NewJob(ContentPipeline.definition(), "article", null, payload, "research", 0).withScheduledAt(scheduledAt));
  }

  private static long messages(UUID job) {
    return TestDatabase.count("select count(*) from queue_messages where job_id = ?", job);
  }

  @Test
  void one_run_promotes_a_due_scheduled_job_and_repairs_an_orphan_without_writing_a_sweeper_log() {
    UUID scheduled = submit(Instant.now().plus(Duration.ofHours(1)));
    UUID orphan = submit(null);
    TestDatabase.jdbi().useHandle(h -> {
      h.execute("update jobs set scheduled_at = now() - interval '1 second' where id = ?", scheduled);
      h.execute("delete from queue_messages where job_id = ?", orphan);
    });

    ObjectNode result = automation.run(new RunContext(1, "content_pipeline_main", RunContext.MANUAL, null));

    assertThat(result).isEqualTo(Json.object().put("promoted", 1).put("orphans_requeued", 1));
    assertThat(messages(scheduled)).isEqualTo(1);
    assertThat(messages(orphan)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'queued'")).isEqualTo(2);
    assertThat(TestDatabase.count("select count(*) from sweeper_logs")).isZero();
  }

  @Test
  void a_run_with_nothing_to_do_reports_zeros() {
    submit(Instant.now().plus(Duration.ofHours(1)));
    submit(null);

    ObjectNode result = automation.run(new RunContext(2, "content_pipeline_main", RunContext.SCHEDULED, Instant.now()));

    assertThat(result).isEqualTo(Json.object().put("promoted", 0).put("orphans_requeued", 0));
  }
}
