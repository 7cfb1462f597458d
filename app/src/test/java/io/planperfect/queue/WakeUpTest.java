package io.planperfect.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.NodeOptions;
import io.planperfect.PlanPerfectNode;
import io.planperfect.dispatch.StageLimits;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import io.planperfect.worker.StageFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Idle consumers are woken by sends (LISTEN/NOTIFY across processes), and polling still works without it.
 *
 * <p>Each node test leaves its mechanism the only way a job can move within the wait: polls of a
 * minute (longer than any wait here), the dispatcher's one-second timer stopped, no chained
 * handoffs, and the scheduler off ({@link TestNode#settings}). Each test fails when its mechanism
 * is switched off (CHANGELOG, issue 14 item 10).
 */
class WakeUpTest {
  private static final PipelineRegistry PIPELINES = new PipelineRegistry(List.of(ContentPipeline.definition()));
  private static final String ONE_MINUTE = "60000";
  private static final Duration WAIT = Duration.ofSeconds(20);
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
      // the listener wakes every stage once it listens; both wake-ups are awaited and spent here (a
      // descheduled listener may signal outline well after research: a short wait would leave it pending)
      assertThat(research.await(Duration.ofSeconds(5))).isTrue();
      assertThat(outline.await(Duration.ofSeconds(5))).isTrue();

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

    // why from 10 s: the send's commit and this read may take seconds on a loaded machine
    assertThat(next).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
    assertThat(queue.nextVisibleIn("content", "outline")).isEmpty();
  }

  @Test
  void with_one_minute_polls_a_job_moves_through_every_stage_by_in_process_announcements_alone() {
    try (PlanPerfectNode node = isolatedNode(Map.of("PLANPERFECT_POLL_MILLIS", ONE_MINUTE, "PLANPERFECT_LISTEN", "false"),
        StageFilter.ALL)) {
      UUID job = submit(node, "Wake");

      awaitCompleted(job);
    }
  }

  @Test
  void with_one_minute_polls_a_job_alternating_between_two_nodes_moves_by_notifications_alone() {
    Map<String, String> env = Map.of("PLANPERFECT_POLL_MILLIS", ONE_MINUTE);
    // why alternate: every handoff crosses nodes, so no stage can be woken by an in-process announcement
    try (PlanPerfectNode odd = isolatedNode(env, stages("research", "draft", "export"));
         PlanPerfectNode even = isolatedNode(env, stages("outline", "qa", "complete"))) {
      UUID job = submit(odd, "Notify");

      awaitCompleted(job);
    }
  }

  @Test
  void without_notifications_a_node_still_finds_work_by_polling() {
    try (PlanPerfectNode node = isolatedNode(Map.of("PLANPERFECT_POLL_MILLIS", "100", "PLANPERFECT_LISTEN", "false"),
        StageFilter.ALL)) {
      // why: once a first job has gone through, every claim loop is asleep, so none finds the next by its first claim
      awaitCompleted(submit(node, "First"));
      // A job inserted by another process: only the poll can find it here.
      UUID job = insertFromAnotherProcess("Poll", SendOptions.NOW);

      awaitCompleted(job);
    }
  }

  @Test
  void a_delayed_message_is_picked_up_when_its_delay_ends_not_at_the_next_poll() {
    // why 6 s: the node must start and look before the delay ends (a start can take seconds on a loaded machine)
    UUID job = insertFromAnotherProcess("Later", SendOptions.delay(Duration.ofSeconds(6)));
    try (PlanPerfectNode node = isolatedNode(Map.of("PLANPERFECT_POLL_MILLIS", ONE_MINUTE, "PLANPERFECT_LISTEN", "false"),
        StageFilter.ALL)) {
      // the claim loops have looked once and found the message not yet visible; nothing will wake them
      assertThat(queue.nextVisibleIn("content", "research")).isPresent();

      awaitCompleted(job);
    }
  }

  /** A node without HTTP whose claim loops move work only by wake-ups and their polls (see the class comment). */
  private static PlanPerfectNode isolatedNode(Map<String, String> env, StageFilter stages) {
    PlanPerfectNode node = PlanPerfectNode.start(TestNode.settings(env), PIPELINES,
        new NodeOptions(stages, false, StageLimits.none()).withoutChainedHandoffs());
    // why: the dispatcher's timer wakes every claim loop with ready work each second
    node.dispatcher().close();
    return node;
  }

  /** A job written straight to the tables, as another node's intake would: no wake-up on this node. */
  private UUID insertFromAnotherProcess(String title, SendOptions firstMessage) {
    return TestDatabase.jdbi().inTransaction(h -> {
      UUID id = h.createQuery("insert into jobs (pipeline, job_type, payload, stage) values ('content', 'article', "
          + "cast(:payload as jsonb), 'research') returning id").bind("payload", payload(title).toString()).mapTo(UUID.class).one();
      int position = 0;
      for (String stage : ContentPipeline.definition().stageNames()) {
        h.createUpdate("insert into job_stages (job_id, stage, pipeline, position) values (:id, :stage, 'content', :p)")
            .bind("id", id).bind("stage", stage).bind("p", position++).execute();
      }
      queue.send(h, "content", "research", id, Json.object(), firstMessage);
      return id;
    });
  }

  private static StageFilter stages(String... names) {
    return new StageFilter(Set.of("content"), Set.of(names));
  }

  private static UUID submit(PlanPerfectNode node, String title) {
    return node.intake().submit(new NewJob(ContentPipeline.definition(), "article", null, payload(title), "research", 0));
  }

  private static ObjectNode payload(String title) {
    return (ObjectNode) Json.read("{\"title\":\"" + title + "\",\"keywords\":[\"wake\"],\"word_count\":200}");
  }

  private static void awaitCompleted(UUID job) {
    await().atMost(WAIT).until(() ->
        TestDatabase.count("select count(*) from jobs where id = ? and status = 'completed'", job) == 1);
  }
}
