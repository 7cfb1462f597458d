package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.crash.ChildNode;
import io.planperfect.engine.Intake;
import io.planperfect.engine.JobChangeSignal;
import io.planperfect.engine.JobRepository;
import io.planperfect.engine.NewJob;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.engine.RetryPolicy;
import io.planperfect.engine.Sweeper;
import io.planperfect.json.Json;
import io.planperfect.queue.MessageQueue;
import io.planperfect.queue.QueueVisibility;
import io.planperfect.queue.SendOptions;
import io.planperfect.queue.WorkAnnouncer;
import io.planperfect.queue.WorkSignals;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * R8, the sweeper race: sweepers running at once, on several threads or nodes, beside workers that
 * complete and crash, must queue again only jobs that have no message, each exactly once. The
 * negative control races the repair as it was before its re-check under the row locks.
 */
@Tag("slow")
class SweeperRaceTest {
  private static final PipelineRegistry PIPELINES = new PipelineRegistry(List.of(ContentPipeline.definition()));
  /** In-process race: orphans per round and rounds; 6 sweepers. */
  private static final int ORPHANS = FaultSize.of("sweeper.orphans", 1_000, 5_000);
  private static final int ROUNDS = FaultSize.of("sweeper.rounds", 3, 20);
  private static final int SWEEPERS = 6;
  /** Process race: 60 jobs × 6 stages and 3 SIGKILLs in CI; 16,700 jobs (~100,000 stage completions) and 20 in full. */
  private static final int JOBS = FaultSize.of("sweeper.jobs", 60, 16_700);
  private static final int KILLS = FaultSize.of("sweeper.kills", 3, 20);

  private final Jdbi jdbi = TestDatabase.jdbi();
  private final JobRepository jobs = new JobRepository();
  private final MessageQueue queue = new MessageQueue(jdbi);
  private final List<Thread> helpers = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private WorkAnnouncer announcer;
  private FaultCluster cluster;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    Invariants.createLedgers();
    announcer = new WorkAnnouncer(jdbi, new WorkSignals());
  }

  @AfterEach
  void stopAll() throws InterruptedException {
    stop.set(true);
    for (Thread helper : helpers) {
      helper.join(30_000);
    }
    if (cluster != null) {
      cluster.close();
    }
    announcer.close();
  }

  @Test
  void sweepers_racing_over_the_same_orphans_queue_each_one_again_exactly_once() throws Exception {
    submitWithoutWorkers(ORPHANS);
    List<Sweeper> sweepers = IntStream.range(0, SWEEPERS)
        .mapToObj(i -> new Sweeper(jdbi, jobs, queue, PIPELINES, announcer, Duration.ofMinutes(1), JobChangeSignal.NONE)).toList();

    long requeued = 0;
    long duplicates = 0;
    for (int round = 0; round < ROUNDS; round++) {
      requeued += race(sweepers.stream().<IntSupplier>map(s -> s::repairOrphans).toList());
      duplicates += jobsWithMoreThanOneMessage();
    }

    System.out.printf("FAULTS R8 sweepers in process: %d rounds of %d orphans, %d sweepers; requeued %d, "
        + "jobs with two messages %d%n", ROUNDS, ORPHANS, SWEEPERS, requeued, duplicates);
    assertThat(duplicates).as("jobs queued twice").isZero();
    assertThat(requeued).as("orphans queued again, summed over the sweepers").isEqualTo((long) ROUNDS * ORPHANS);
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isEqualTo(ORPHANS);
  }

  /** Negative control: the repair deciding on the snapshot of its locking statement (the code before the fix). */
  @Test
  void a_repair_that_trusts_the_snapshot_of_its_locking_select_queues_orphans_twice_when_sweepers_race() throws Exception {
    submitWithoutWorkers(ORPHANS);
    long duplicates = 0;
    int rounds = 0;
    while (duplicates == 0 && rounds < 2 * ROUNDS) {
      race(IntStream.range(0, SWEEPERS).<IntSupplier>mapToObj(i -> this::repairOnFirstSnapshot).toList());
      duplicates = jobsWithMoreThanOneMessage();
      rounds++;
    }
    System.out.printf("FAULTS R8 control (no re-check under the lock): %d jobs queued twice after %d rounds of %d orphans%n",
        duplicates, rounds, ORPHANS);
    assertThat(duplicates).as("jobs queued twice").isPositive();
  }

  @Test
  void sweepers_looping_on_every_node_beside_finishing_and_killed_workers_queue_only_true_orphans_once() throws Exception {
    // why lease 1 s and stages of 0.9–1.1 s: completions land when the first lease would run out (River #1302)
    cluster = new FaultCluster(3, Map.of("CONTENT_QUEUE_VISIBILITY", "1", "CONTENT_STAGE_MAX_ATTEMPTS", "20"))
        .stageMillis(900, 1_100).startAll();
    AtomicLong sweeps = new AtomicLong();
    AtomicLong answeredRequeues = new AtomicLong();
    for (int slot = 0; slot < cluster.size(); slot++) {
      int node = slot;
      helper("sweep-loop-" + slot, () -> sweepOnce(node, sweeps, answeredRequeues));
    }
    AtomicLong orphansMade = new AtomicLong();
    helper("orphan-maker", () -> {
      orphansMade.addAndGet(deleteOneLiveMessage());
      FaultCluster.sleep(250);
    });

    long start = System.nanoTime();
    List<Long> killed = new CopyOnWriteArrayList<>();
    helper("killer", () -> {
      FaultCluster.sleep(3_000);
      try {
        if (killed.size() < KILLS) {
          cluster.killAndRestart(Duration.ofSeconds(1)).ifPresent(killed::add);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    cluster.submit(JOBS, "");
    await().atMost(Duration.ofSeconds(120 + JOBS)).pollInterval(Duration.ofMillis(500))
        .until(() -> FaultCluster.terminalJobs() == JOBS && killed.size() >= Math.min(KILLS, 1));
    stop.set(true);
    for (Thread helper : helpers) {
      helper.join(30_000);
    }

    Invariants inv = Invariants.check().assertClean();
    long swept = TestDatabase.count("select count(*) from job_events where event_type = 'swept'");
    long sweptFinishedStages = TestDatabase.count("""
        select count(*) from job_events s where s.event_type = 'swept'
           and exists (select 1 from job_events c where c.job_id = s.job_id and c.stage = s.stage
                         and c.event_type = 'completed' and c.created_at < s.created_at)""");
    // runs that began after their message had already been claimed again (their begin came too late for their lease)
    long lateBegins = TestDatabase.count("""
        select count(*) from job_events late where late.event_type = 'processing'
           and exists (select 1 from job_events e where e.job_id = late.job_id and e.stage = late.stage
                         and e.event_type = 'processing' and e.metadata ->> 'msg_id' = late.metadata ->> 'msg_id'
                         and e.created_at < late.created_at
                         and (e.metadata ->> 'delivery')::int > (late.metadata ->> 'delivery')::int)""");
    System.out.printf("FAULTS R8 sweeper race: %d jobs in %.1f s; %d sweeps over HTTP on 3 nodes; %d orphans made, "
            + "%d queued again by the sweepers (%d in their answers); swept after completion %d; kills %d; "
            + "runs begun after their lease was taken %d; %s%n",
        JOBS, (System.nanoTime() - start) / 1e9, sweeps.get(), orphansMade.get(), swept, answeredRequeues.get(),
        sweptFinishedStages, killed.size(), lateBegins, inv);
    String deadLetters = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
        select coalesce(string_agg(stage || ' after ' || attempt_count || ': ' || failure_reason || ' '
                                   || coalesce(error_details::text, ''), '; '), '') from dead_letters""")
        .mapTo(String.class).one());
    assertThat(inv.deadLetters()).as("dead letters: %s", deadLetters).isZero();
    assertThat(inv.completedJobs()).isEqualTo(JOBS);
    assertThat(swept).as("jobs queued again by a sweeper = orphans made").isEqualTo(orphansMade.get());
    assertThat(sweptFinishedStages).as("completed stages queued again by a sweeper").isZero();
    // why zero since V14: the attempt begins inside the claim that takes the lease, so no run can
    // begin after another claim took its message (RELIABILITY.md finding 4; 11 and 35 before).
    assertThat(lateBegins).as("runs begun after their lease was taken").isZero();
    assertThat(orphansMade.get()).isPositive();
    assertThat(sweeps.get()).as("sweeps").isGreaterThan(100);
    assertThat(killed).isNotEmpty();
  }

  /** Starts a daemon helper that runs {@code step} until the test stops. */
  private Thread helper(String name, Runnable step) {
    Thread thread = new Thread(() -> {
      while (!stop.get()) {
        step.run();
      }
    }, name);
    thread.setDaemon(true);
    helpers.add(thread);
    thread.start();
    return thread;
  }

  private void sweepOnce(int slot, AtomicLong sweeps, AtomicLong requeued) {
    ChildNode node = cluster.node(slot);
    try {
      if (node != null && node.isAlive()) {
        Http.Response answer = new Http(node.port(), TestNode.SERVICE_KEY).post("/api/v1/sweeper/run", "{}");
        if (answer.status() == 200) {
          sweeps.incrementAndGet();
          requeued.addAndGet(answer.json().path("orphans_requeued").asLong());
        }
      }
    } catch (UncheckedIOException e) {
      // the node was killed mid-request: its sweep rolled back or committed, the database knows which
    }
    FaultCluster.sleep(10);
  }

  /**
   * Deletes one random message of an unfinished job (a message lost by hand), making the job an
   * orphan. why at most twice per job: every loss costs the stage an attempt, and the last few
   * jobs of a run would otherwise lose their message every 250 ms until they were dead-lettered.
   */
  private static long deleteOneLiveMessage() {
    return TestDatabase.count("""
        with gone as (
          delete from queue_messages where msg_id = (
            select m.msg_id from queue_messages m join jobs j on j.id = m.job_id
             where j.status in ('queued', 'processing')
               and (select count(*) from job_events e where e.job_id = j.id and e.event_type = 'swept') < 2
             order by random() limit 1)
          returning msg_id)
        select count(*) from gone""");
  }

  /** Intake without any worker, then every message deleted by each race: the jobs are orphans. */
  private void submitWithoutWorkers(int count) throws InterruptedException {
    Intake intake = new Intake(jdbi, jobs, queue, announcer, RetryPolicy.of(3, Duration.ofSeconds(1), Duration.ofSeconds(10)),
        QueueVisibility.everywhere(Duration.ofSeconds(10)), JobChangeSignal.NONE, false);
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int share = (count + 3 - t) / 4;
      Thread submitter = new Thread(() -> {
        for (int i = 0; i < share; i++) {
          ObjectNode payload = Json.object().put("title", "Orphan " + i);
          payload.putArray("keywords").add("sweeper");
          intake.submit(new NewJob(ContentPipeline.definition(), "article", null, payload, "research", 0));
        }
      });
      submitters.add(submitter);
      submitter.start();
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
  }

  /** Deletes every message, then runs the repairs on their own threads until no orphan is left; returns the sum they report. */
  private long race(List<IntSupplier> repairs) throws InterruptedException {
    jdbi.useHandle(h -> h.execute("delete from queue_messages"));
    AtomicLong requeued = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    for (IntSupplier repair : repairs) {
      Thread thread = new Thread(() -> {
        int n;
        do {
          n = repair.getAsInt();
          requeued.addAndGet(n);
        } while (n > 0 || orphans() > 0);
      }, "sweeper");
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    return requeued.get();
  }

  private static long orphans() {
    return TestDatabase.count("""
        select count(*) from jobs j where j.status in ('queued', 'processing')
           and not exists (select 1 from queue_messages m where m.job_id = j.id)""");
  }

  private static long jobsWithMoreThanOneMessage() {
    return TestDatabase.count("select count(*) from (select job_id from queue_messages group by job_id having count(*) > 1) d");
  }

  /** The orphan repair before the fix: one statement decides "no message" and locks, on one snapshot. */
  private int repairOnFirstSnapshot() {
    return jdbi.inTransaction(h -> {
      List<UUID> orphans = h.createQuery("""
          select j.id from jobs j
           where j.status in ('queued', 'processing')
             and not exists (select 1 from queue_messages m where m.job_id = j.id)
           limit 1000 for update of j skip locked""").mapTo(UUID.class).list();
      for (UUID id : orphans) {
        jobs.queueStage(h, id, "research");
        queue.send(h, "content", "research", id, Json.object().put("from", "control"), SendOptions.priority(0));
      }
      return orphans.size();
    });
  }
}
