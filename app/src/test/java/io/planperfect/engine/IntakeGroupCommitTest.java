package io.planperfect.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Intake's group commit, with one committer held up so that a line forms behind it: the jobs waiting
 * are written in one transaction; when that transaction fails, each job is written in its own, and
 * only the job that failed is refused.
 */
class IntakeGroupCommitTest {
  private static final String HOLD = "hold the committer";
  private static final String REFUSE = "refused when stored";

  private final Jdbi jdbi = TestDatabase.jdbi();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  /** The transaction each title's accepted hook ran in, the last time it ran. */
  private final Map<String, Long> transactionOf = new ConcurrentHashMap<>();
  private final PipelineDefinition work = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> StageOutcome.completed(Json.object()))))
      .withIntake(new IntakeRules() {
        @Override
        public ObjectNode validate(ObjectNode payload) {
          Fields.requiredText(payload, "title", "payload.title");
          return payload;
        }

        @Override
        public void accepted(Handle transaction, UUID jobId, ObjectNode payload) {
          String title = payload.get("title").asText();
          transactionOf.put(title, transaction.createQuery("select txid_current()").mapTo(Long.class).one());
          if (title.equals(HOLD)) {
            held.countDown();
            waitFor(release);
          }
          if (title.equals(REFUSE)) {
            throw new InvalidField("payload.title", "this title is refused when the job is stored");
          }
        }
      });
  private WorkAnnouncer announcer;
  private Intake intake;
  private ExecutorService requests;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    announcer = new WorkAnnouncer(jdbi, new WorkSignals());
    intake = new Intake(jdbi, new JobRepository(), new MessageQueue(jdbi), announcer,
        RetryPolicy.of(3, Duration.ofSeconds(1), Duration.ofSeconds(10)), QueueVisibility.everywhere(Duration.ofSeconds(30)),
        JobChangeSignal.NONE, false, 1);
    requests = Executors.newCachedThreadPool();
  }

  @AfterEach
  void stop() {
    release.countDown();
    requests.shutdownNow();
    intake.close();
    announcer.close();
  }

  private Future<UUID> submit(String title) {
    return requests.submit(() -> intake.submit(new NewJob(work, "work", null, Json.object().put("title", title), "research", 0)));
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).as("latch released").isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void jobs_waiting_behind_a_busy_committer_are_written_in_one_transaction() throws Exception {
    Future<UUID> first = submit(HOLD);
    waitFor(held);
    List<Future<UUID>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiting.add(submit("waiting " + i));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> waiting.stream().noneMatch(Future::isDone) && lineHolds(5));
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isNotNull();
    for (Future<UUID> job : waiting) {
      assertThat(TestDatabase.count("select count(*) from jobs where id = ?", job.get(30, TimeUnit.SECONDS))).isEqualTo(1);
    }
    assertThat(List.of(0, 1, 2, 3, 4).stream().map(i -> transactionOf.get("waiting " + i)).distinct()).hasSize(1);
  }

  @Test
  void a_job_refused_in_a_group_fails_alone_and_the_others_are_stored() throws Exception {
    Future<UUID> first = submit(HOLD);
    waitFor(held);
    List<Future<UUID>> others = new ArrayList<>();
    others.add(submit("stored 0"));
    others.add(submit("stored 1"));
    Future<UUID> refused = submit(REFUSE);
    others.add(submit("stored 2"));
    await().atMost(Duration.ofSeconds(10)).until(() -> lineHolds(4));
    release.countDown();

    assertThat(first.get(30, TimeUnit.SECONDS)).isNotNull();
    assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(InvalidField.class);
    for (Future<UUID> job : others) {
      assertThat(TestDatabase.count("select count(*) from jobs where id = ?", job.get(30, TimeUnit.SECONDS))).isEqualTo(1);
    }
    assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isEqualTo(4);
    assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'queued'")).isEqualTo(4);
  }

  /** The requests have handed their jobs in: they are in line behind the held committer. */
  private boolean lineHolds(int jobs) {
    return intake.waitingForGroup() == jobs;
  }
}
