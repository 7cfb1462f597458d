package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idle consumers are woken by sends (LISTEN/NOTIFY across processes), and polling still works without it. */
class WakeUpTest {
  private final MessageQueue queue = new MessageQueue(TestDatabase.jdbi());

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void an_announcement_on_one_node_wakes_the_listener_of_that_stage_on_another() throws Exception {
    WorkSignals otherNode = new WorkSignals();
    WakeSignal research = otherNode.forStage("content", "research");
    WakeSignal outline = otherNode.forStage("content", "outline");
    try (NotificationListener listener = new NotificationListener(TestDatabase.address(), otherNode);
         WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), new WorkSignals())) {
      listener.start();
      research.await(Duration.ofSeconds(5));
      outline.await(Duration.ofMillis(10));

      announcer.announce("content", "research");

      assertThat(research.await(Duration.ofSeconds(5))).isTrue();
      assertThat(outline.await(Duration.ofMillis(200))).isFalse();
    }
  }

  @Test
  void an_announcement_wakes_this_node_at_once() throws Exception {
    WorkSignals signals = new WorkSignals();
    WakeSignal research = signals.forStage("content", "research");
    try (WorkAnnouncer announcer = new WorkAnnouncer(TestDatabase.jdbi(), signals)) {
      announcer.announce("content", "research");

      assertThat(research.await(Duration.ZERO)).isTrue();
    }
  }

  @Test
  void the_time_until_the_next_delayed_message_is_known() {
    TestDatabase.jdbi().useTransaction(h ->
        queue.send(h, "content", "research", UUID.randomUUID(), Json.object(), SendOptions.delay(Duration.ofSeconds(20))));

    Duration next = queue.nextVisibleIn("content", "research").orElseThrow();

    assertThat(next).isBetween(Duration.ofSeconds(18), Duration.ofSeconds(20));
    assertThat(queue.nextVisibleIn("content", "outline")).isEmpty();
  }

  @Test
  void with_a_one_minute_poll_a_job_still_moves_through_every_stage_by_wake_ups_alone() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        s -> io.planperfect.config.Settings.fromEnvironment(Map.of("PLANPERFECT_POLL_MILLIS", "60000", "PLANPERFECT_ALLOW_UNSAFE_DURABILITY", "true"))
            .withDatabase(s.dbUrl().orElseThrow(), s.dbUser(), s.dbPassword())
            .withDataDir(s.dataDir()).withListen("127.0.0.1", 0).withKeys(TestNode.SERVICE_KEY, TestNode.ANON_KEY))) {
      UUID job = node.intake().submit(new io.planperfect.engine.NewJob(ContentPipeline.definition(), "article", null,
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.read("{\"title\":\"Wake\",\"keywords\":[\"wake\"],\"word_count\":200}"),
          "research", 0));

      await().atMost(Duration.ofSeconds(20)).until(() ->
          TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    }
  }

  @Test
  void without_notifications_a_node_still_finds_work_by_polling() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        s -> io.planperfect.config.Settings.fromEnvironment(Map.of("PLANPERFECT_POLL_MILLIS", "100", "PLANPERFECT_LISTEN", "false", "PLANPERFECT_ALLOW_UNSAFE_DURABILITY", "true"))
            .withDatabase(s.dbUrl().orElseThrow(), s.dbUser(), s.dbPassword())
            .withDataDir(s.dataDir()).withListen("127.0.0.1", 0).withKeys(TestNode.SERVICE_KEY, TestNode.ANON_KEY))) {
      // A job inserted by another process: only the poll can find it here.
      UUID job = TestDatabase.jdbi().inTransaction(h -> {
        UUID id = h.createQuery("insert into jobs (pipeline, job_type, payload, stage) values ('content', 'article', "
            + "'{\"title\":\"Poll\",\"keywords\":[\"poll\"],\"word_count\":200}', 'research') returning id").mapTo(UUID.class).one();
        int position = 0;
        for (String stage : ContentPipeline.definition().stageNames()) {
          h.createUpdate("insert into job_stages (job_id, stage, pipeline, position) values (:id, :stage, 'content', :p)")
              .bind("id", id).bind("stage", stage).bind("p", position++).execute();
        }
        queue.send(h, "content", "research", id, Json.object(), SendOptions.NOW);
        return id;
      });

      await().atMost(Duration.ofSeconds(20)).until(() ->
          TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    }
  }

  @Test
  void a_delayed_message_is_picked_up_when_its_delay_ends_not_at_the_next_poll() {
    try (PlanPerfectNode node = TestNode.start(new PipelineRegistry(List.of(ContentPipeline.definition())),
        Map.of("PLANPERFECT_POLL_MILLIS", "60000"))) {
      TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = false where stage = 'research'"));
      UUID job = node.intake().submit(new io.planperfect.engine.NewJob(ContentPipeline.definition(), "article", null,
          (com.fasterxml.jackson.databind.node.ObjectNode) Json.read("{\"title\":\"Later\",\"keywords\":[\"later\"],\"word_count\":150}"),
          "research", 0));
      // The job's research message is replaced by one that becomes visible in a second.
      TestDatabase.jdbi().useTransaction(h -> {
        h.createUpdate("delete from queue_messages where job_id = :id").bind("id", job).execute();
        queue.send(h, "content", "research", job, Json.object(), SendOptions.delay(Duration.ofSeconds(1)));
      });
      TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set enabled = true where stage = 'research'"));

      await().atMost(Duration.ofSeconds(15)).until(() ->
          TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
    }
  }
}
