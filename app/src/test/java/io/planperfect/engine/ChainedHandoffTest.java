package io.planperfect.engine;

import io.planperfect.pipeline.PipelineDefinition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.planperfect.json.Json;
import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One commit per stage (V16): the transaction that completes a stage also claims and begins the
 * next stage's attempt when this node has a free runner for it, within the next stage's limit and
 * without waiting for other claims of that stage (V17). The claims and transitions run here,
 * against the real database, on jobs left waiting at their first stage.
 */
class ChainedHandoffTest {
  private static final PipelineDefinition PIPELINE = new PipelineDefinition("content", "content", List.of("article"),
      List.of(EngineParts.instantStage("a"), EngineParts.instantStage("b"), EngineParts.instantStage("c")));
  private static final Duration VISIBILITY = Duration.ofSeconds(30);

  private final RecordingRunners runners = new RecordingRunners();
  private EngineParts engine;
  private StageClaims claims;
  private StageTransitions chaining;
  private StageTransitions notChaining;

  @BeforeEach
  void setUp() {
    TestDatabase.clean();
    engine = new EngineParts(PIPELINE);
    claims = engine.claims;
    chaining = engine.transitions(runners);
    notChaining = engine.transitions(NextStageRunners.NONE);
  }

  @AfterEach
  void tearDown() {
    engine.close();
  }

  @Test
  void completing_a_stage_with_a_free_runner_for_the_next_begins_the_next_attempt_in_the_same_commit() {
    UUID job = submitJobs(1).get(0);
    StageAttempt a = claimOne("a");

    chaining.complete(a, Json.object().put("a", true));

    assertThat(runners.started).singleElement().satisfies(next -> {
      assertThat(next.jobId()).isEqualTo(job);
      assertThat(next.stage()).isEqualTo("b");
      assertThat(next.attempt()).isEqualTo(1);
      assertThat(next.exhausted()).isFalse();
      assertThat(next.previousResults()).containsKey("a");
    });
    assertThat(runners.released).hasValue(0);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'b' and status = 'processing'"
        + " and attempt_count = 1", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'b' and lease is not null"
        + " and vt > now()", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from stage_slots where stage = 'b' and lease is not null")).isEqualTo(1);
    assertThat(eventTypes(job)).containsSubsequence("completed:a", "queued:b", "processing:b");
  }

  @Test
  void without_a_free_runner_the_next_message_is_left_ready_for_the_claim_loops() {
    UUID job = submitJobs(1).get(0);

    notChaining.complete(claimOne("a"), Json.object().put("a", true));

    assertThat(readyMessages("b")).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from job_stages where job_id = ? and stage = 'b' and status = 'queued'", job))
        .isEqualTo(1);
  }

  @Test
  void the_chained_claim_keeps_the_next_stage_limit_and_gives_the_runner_back_when_it_is_full() {
    List<UUID> jobs = submitJobs(2);
    TestDatabase.jdbi().useHandle(h -> h.execute("update content_stage_config set max_concurrency = 1 where stage = 'b'"));
    StageClaims.Claimed claimedA = claims.claim("content", "a", VISIBILITY, 2, null, false);
    assertThat(claimedA.attempts()).hasSize(2);

    chaining.complete(claimedA.attempts().get(0), Json.object().put("a", true));
    chaining.complete(claimedA.attempts().get(1), Json.object().put("a", true));

    assertThat(runners.started).singleElement().satisfies(next -> assertThat(next.jobId()).isEqualTo(jobs.get(0)));
    assertThat(runners.released).hasValue(1);
    assertThat(TestDatabase.count("select count(*) from stage_slots where stage = 'b' and lease is not null")).isEqualTo(1);
    assertThat(readyMessages("b")).isEqualTo(1);
  }

  @Test
  void a_claim_of_the_next_stage_in_progress_elsewhere_neither_holds_nor_stops_the_chained_claim() {
    List<UUID> jobs = submitJobs(2);
    StageClaims.Claimed claimedA = claims.claim("content", "a", VISIBILITY, 2, null, false);
    notChaining.complete(claimedA.attempts().get(0), Json.object().put("a", true));

    try (Handle other = TestDatabase.jdbi().open()) {
      other.begin();
      // another node's claim of stage b, not yet committed: it holds the first job's b message and a slot
      assertThat(other.createQuery("select job_id from claim_stage_attempts('content', 'b', 30, 1, null, false, 3, 5)")
          .mapTo(UUID.class).list()).containsExactly(jobs.get(0));
      assertTimeoutPreemptively(Duration.ofSeconds(5),
          () -> chaining.complete(claimedA.attempts().get(1), Json.object().put("a", true)));
      other.commit();
    }

    assertThat(runners.started).singleElement().satisfies(next -> assertThat(next.jobId()).isEqualTo(jobs.get(1)));
    assertThat(runners.released).hasValue(0);
    assertThat(TestDatabase.count("select count(*) from stage_slots where stage = 'b' and lease is not null")).isEqualTo(2);
  }

  @Test
  void a_lost_lease_applies_nothing_claims_nothing_and_gives_the_runner_back() {
    UUID job = submitJobs(1).get(0);
    StageAttempt a = claimOne("a");
    TestDatabase.jdbi().useHandle(h -> h.execute("update queue_messages set lease = gen_random_uuid() where job_id = ?", job));

    assertThatThrownBy(() -> chaining.complete(a, Json.object().put("a", true))).isInstanceOf(StaleLeaseException.class);

    assertThat(runners.started).isEmpty();
    assertThat(runners.released).hasValue(1);
    assertThat(TestDatabase.count("select count(*) from queue_messages where stage = 'b'")).isZero();
    assertThat(TestDatabase.count("select count(*) from job_events where job_id = ? and event_type = 'completed'", job)).isZero();
  }

  @Test
  void the_chained_claim_takes_the_head_of_the_next_stage_so_an_older_waiting_message_goes_first() {
    List<UUID> jobs = submitJobs(2);
    StageClaims.Claimed claimedA = claims.claim("content", "a", VISIBILITY, 2, null, false);
    StageAttempt first = claimedA.attempts().get(0);
    StageAttempt second = claimedA.attempts().get(1);
    notChaining.complete(first, Json.object().put("a", true));

    chaining.complete(second, Json.object().put("a", true));

    assertThat(runners.started).singleElement().satisfies(next -> {
      assertThat(next.jobId()).isEqualTo(first.jobId());
      assertThat(next.stage()).isEqualTo("b");
    });
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'b' and lease is null",
        second.jobId())).isEqualTo(1);
    assertThat(jobs).containsExactlyInAnyOrder(first.jobId(), second.jobId());
  }

  @Test
  void completing_tells_whether_the_stage_has_messages_waiting_for_the_slot_it_freed() {
    submitJobs(2);
    StageAttempt first = claimOne("a");
    assertThat(notChaining.complete(first, Json.object().put("a", true))).isTrue();

    StageAttempt second = claimOne("a");
    assertThat(notChaining.complete(second, Json.object().put("a", true))).isFalse();
  }

  @Test
  void a_job_handed_straight_on_to_an_idle_next_stage_writes_its_message_job_and_next_stage_row_once_each() {
    UUID job = submitJobs(1).get(0);
    StageAttempt a = claimOne("a");

    try (Handle h = TestDatabase.jdbi().open()) {
      h.begin();
      String before = updates(h);
      String outcome = h.createQuery("select outcome from complete_stage_attempt_and_claim_next(:msg, :lease, :delivery,"
              + " :job, 'content', 'content', 'a', 1, '{}'::jsonb, 'b', 0, true, 30, null, 3, 5)")
          .bind("msg", a.message().msgId()).bind("lease", a.message().lease()).bind("delivery", a.message().readCount())
          .bind("job", job).mapTo(String.class).one();
      String after = updates(h);
      h.commit();

      assertThat(outcome).isEqualTo("run");
      // the message is written claimed, never updated; the job and stage b go from a's end to b's
      // 'processing' in one update each (stage a's completion is the other update of job_stages)
      assertThat(difference(before, after)).as("updates of queue_messages, jobs, job_stages").containsExactly(0L, 1L, 2L);
    }
    assertThat(TestDatabase.count("select count(*) from queue_messages where job_id = ? and stage = 'b' and read_ct = 1"
        + " and lease is not null and vt > now()", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from stage_slots s join queue_messages q on q.lease = s.lease"
        + " where s.stage = 'b' and q.job_id = ?", job)).isEqualTo(1);
    assertThat(TestDatabase.count("select count(*) from jobs where id = ? and stage = 'b' and status = 'processing'", job))
        .isEqualTo(1);
    List<String> trail = TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select event_type || ':' || stage from job_events where job_id = :job order by seq")
        .bind("job", job).mapTo(String.class).list());
    assertThat(trail).endsWith("completed:a", "queued:b", "processing:b");
  }

  /** Updates of queue_messages, jobs and job_stages this connection has counted and not yet reported (PostgreSQL's pending counts). */
  private static String updates(Handle h) {
    return h.createQuery("select pg_stat_get_xact_tuples_updated('queue_messages'::regclass) || ','"
        + " || pg_stat_get_xact_tuples_updated('jobs'::regclass) || ','"
        + " || pg_stat_get_xact_tuples_updated('job_stages'::regclass)").mapTo(String.class).one();
  }

  private static List<Long> difference(String before, String after) {
    String[] b = before.split(",");
    String[] a = after.split(",");
    return java.util.stream.IntStream.range(0, a.length).mapToObj(i -> Long.parseLong(a[i]) - Long.parseLong(b[i])).toList();
  }

  private static List<UUID> submitJobs(int count) {
    return WaitingJobs.submit(PIPELINE, count);
  }

  private StageAttempt claimOne(String stage) {
    return engine.claimOne(stage);
  }

  private static long readyMessages(String stage) {
    return TestDatabase.count("select count(*) from queue_messages where stage = ? and lease is null and vt <= now()", stage);
  }

  private static List<String> eventTypes(UUID job) {
    return TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select event_type || ':' || stage from job_events where job_id = :job order by created_at")
        .bind("job", job).mapTo(String.class).list());
  }

  /** Always one free runner; records what a transition hands it and how often it is given back. */
  private static final class RecordingRunners implements NextStageRunners {
    final List<StageAttempt> started = new CopyOnWriteArrayList<>();
    final AtomicInteger released = new AtomicInteger();

    @Override
    public Optional<Runner> reserve(String queue, String stage) {
      return Optional.of(new Runner() {
        @Override
        public Duration visibility() {
          return VISIBILITY;
        }

        @Override
        public Integer maxOverride() {
          return null;
        }

        @Override
        public void start(StageAttempt attempt) {
          started.add(attempt);
        }

        @Override
        public void release() {
          released.incrementAndGet();
        }
      });
    }
  }
}
