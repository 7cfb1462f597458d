package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A stage's limit is carried by its slot rows (V17): a claim fills free slots below the limit,
 * skipping those another claim is taking, so claims of one stage never wait for each other and
 * never run more than the limit. Claims and completions run here against the real database.
 */
class StageClaimLimitTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(EngineParts.instantStage("a"), EngineParts.instantStage("b")));
  private static final Duration VISIBILITY = Duration.ofSeconds(30);
  private static final String CLAIM_IN_SQL = "select job_id from claim_stage_attempts('content', 'a', 30, :qty, null, false, 3, 5)";

  private EngineParts engine;
  private StageClaims claims;
  private StageTransitions transitions;

  @BeforeEach
  void setUp() {
    TestDatabase.clean();
    engine = new EngineParts(PIPELINE);
    claims = engine.claims;
    transitions = engine.transitions(NextStageRunners.NONE);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  @Test
  void a_claim_does_not_wait_for_another_claim_of_the_same_stage_in_progress() {
    List<UUID> jobs = WaitingJobs.submit(PIPELINE, 2);

    try (Handle other = TestDatabase.jdbi().open()) {
      other.begin();
      assertThat(claimInOpenTransaction(other, 1)).containsExactly(jobs.get(0));

      List<StageAttempt> mine = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> claim(1));

      assertThat(mine).singleElement().satisfies(a -> assertThat(a.jobId()).isEqualTo(jobs.get(1)));
      other.commit();
    }
    assertThat(busySlots()).isEqualTo(2);
  }

  @Test
  void a_claim_takes_no_more_slots_than_the_stage_has_ready_messages() {
    List<UUID> jobs = WaitingJobs.submit(PIPELINE, 2);
    setLimit(2);
    setDelayed(jobs.get(1), true);

    try (Handle other = TestDatabase.jdbi().open()) {
      other.begin();
      // asks for 8 while one message is ready: it must leave the second slot to others
      assertThat(claimInOpenTransaction(other, 8)).containsExactly(jobs.get(0));
      setDelayed(jobs.get(1), false);

      List<StageAttempt> mine = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> claim(1));

      assertThat(mine).singleElement().satisfies(a -> assertThat(a.jobId()).isEqualTo(jobs.get(1)));
      other.commit();
    }
    assertThat(busySlots()).isEqualTo(2);
  }

  @Test
  void after_the_limit_is_lowered_nothing_is_claimed_until_the_runs_above_it_have_ended() {
    WaitingJobs.submit(PIPELINE, 5);
    setLimit(3);
    List<StageAttempt> running = claim(3);
    assertThat(running).hasSize(3);

    setLimit(1);
    transitions.complete(running.get(0), Json.object());
    assertThat(claim(1)).as("two runs still busy, limit 1").isEmpty();
    transitions.complete(running.get(1), Json.object());
    assertThat(claim(1)).as("one run still busy, limit 1").isEmpty();
    transitions.complete(running.get(2), Json.object());

    assertThat(claim(3)).hasSize(1);
    assertThat(claim(1)).as("limit 1 full").isEmpty();
    assertThat(busySlots()).isEqualTo(1);
  }

  @Test
  void many_threads_claiming_and_completing_one_stage_never_run_more_than_its_limit() throws Exception {
    int jobs = 120;
    int limit = 3;
    WaitingJobs.submit(PIPELINE, jobs);
    setLimit(limit);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    AtomicInteger completed = new AtomicInteger();
    Queue<Throwable> errors = new ConcurrentLinkedQueue<>();

    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (completed.get() < jobs) {
            List<StageAttempt> claimed = claim(ThreadLocalRandom.current().nextInt(1, limit + 1));
            // counted once the claim has committed, uncounted before the completion starts: never
            // more than the slots the database holds at that moment
            mostRunning.accumulateAndGet(running.addAndGet(claimed.size()), Math::max);
            Thread.sleep(claimed.isEmpty() ? 1 : 3);
            for (StageAttempt attempt : claimed) {
              running.decrementAndGet();
              transitions.complete(attempt, Json.object());
              completed.incrementAndGet();
            }
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      thread.start();
      threads.add(thread);
    }
    for (Thread thread : threads) {
      thread.join(Duration.ofSeconds(60).toMillis());
    }

    assertThat(errors).isEmpty();
    assertThat(completed).hasValue(jobs);
    assertThat(mostRunning.get()).isBetween(2, limit);
    assertThat(TestDatabase.count("select count(*) from job_stages where stage = 'a' and status = 'completed'")).isEqualTo(jobs);
    assertThat(busySlots()).isZero();
  }

  private List<StageAttempt> claim(int qty) {
    return claims.claim("content", "a", VISIBILITY, qty, null, false).attempts();
  }

  private static List<UUID> claimInOpenTransaction(Handle handle, int qty) {
    return handle.createQuery(CLAIM_IN_SQL).bind("qty", qty).mapTo(UUID.class).list();
  }

  private static void setLimit(int limit) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate("update content_stage_config set max_concurrency = :limit where stage = 'a'")
        .bind("limit", limit).execute());
  }

  private static void setDelayed(UUID job, boolean delayed) {
    TestDatabase.jdbi().useHandle(h -> h.createUpdate(
            "update queue_messages set vt = case when :delayed then now() + interval '1 hour' else now() end where job_id = :job")
        .bind("delayed", delayed).bind("job", job).execute());
  }

  private static long busySlots() {
    return TestDatabase.count("select count(*) from stage_slots where stage = 'a' and lease is not null and expires_at > now()");
  }
}
