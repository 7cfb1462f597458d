package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fault injection on worker JVMs (RELIABILITY.md R1, R2, R3, R9, scaled for CI), judged by the
 * invariant checker over the committed tables, the client ledger and the attempt ledger.
 */
class WorkerFaultTest {
  private static final int STAGES = 6;
  private static final int STAGE_THREADS = 4; // PLANPERFECT_STAGE_CONCURRENCY default
  /** Jobs for R1 and R2: 150 in CI (a loaded 2-core machine), workload W's 10,000 in a full run. */
  private static final int JOBS = FaultSize.of("jobs", 150, 10_000);
  /** R2's SIGKILLs and the mean pause between them: 10 every ~1.5 s in CI, 50 every ~5 s in a full run. */
  private static final int KILLS = FaultSize.of("kills", 10, 50);
  private static final int KILL_EVERY_MILLIS = FaultSize.of("kill.every.ms", 1_500, 5_000);
  private FaultCluster cluster;
  private final List<Thread> helpers = new ArrayList<>();
  private final AtomicBoolean stop = new AtomicBoolean();

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    Invariants.createLedgers();
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
  }

  private static void awaitTerminal(long jobs, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> FaultCluster.terminalJobs() == jobs);
  }

  private static void report(String scenario, Invariants inv, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String latency = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
        select format('p50 %s ms, p99 %s ms',
                      round(percentile_cont(0.5) within group (order by extract(epoch from last_completed_at - created_at) * 1000)),
                      round(percentile_cont(0.99) within group (order by extract(epoch from last_completed_at - created_at) * 1000)))
          from jobs where status = 'completed'""").mapTo(String.class).one());
    System.out.printf("FAULTS %s: %.1f s, %.1f stages/s, end-to-end %s%nFAULTS %s: %s%n", scenario, seconds,
        inv.completedJobs() * STAGES / seconds, latency, scenario, inv);
  }

  @Test
  void with_no_faults_two_nodes_complete_every_job_once_with_every_invariant_zero() throws Exception {
    // why visibility 10 (workload W's lease): on a loaded 2-core machine a 3 s lease can lapse between heartbeats,
    // which is a (correctly fenced) re-execution, not a no-fault run.
    cluster = new FaultCluster(2, Map.of("CONTENT_QUEUE_VISIBILITY", "10")).startAll();
    int jobs = JOBS;
    long start = System.nanoTime();
    cluster.submit(jobs, "");
    awaitTerminal(jobs, Duration.ofSeconds(60 + jobs / 2));

    Invariants inv = Invariants.check().assertClean();
    report("R1 baseline", inv, start);
    assertThat(inv.acknowledged()).isEqualTo(jobs);
    assertThat(inv.completedJobs()).isEqualTo(jobs);
    assertThat(inv.executions()).isEqualTo((long) jobs * STAGES);
    assertThat(inv.reExecutions()).isZero();
    assertThat(inv.unfinishedRuns()).isZero();
    assertThat(inv.staleAcksRejected()).isZero();
    assertThat(inv.deadLetters()).isZero();
  }

  @Test
  void sigkills_of_random_workers_lose_nothing_and_apply_each_stage_result_once() throws Exception {
    // why max attempts 20: a kill is not the job's fault; with the default 3 an unlucky stage hit by
    // three kills would be dead-lettered as poison, which is R9's subject, not this one's.
    cluster = new FaultCluster(3, Map.of("CONTENT_QUEUE_VISIBILITY", "3", "CONTENT_STAGE_MAX_ATTEMPTS", "20")).startAll();
    // a backlog, then a steady stream of new jobs while the kills go on, so every kill finds work
    FaultCluster.pause();
    cluster.submit(JOBS / 3, "");
    long start = System.nanoTime();
    FaultCluster.resume();
    AtomicInteger submitted = new AtomicInteger(JOBS / 3);
    AtomicBoolean killing = new AtomicBoolean(true);
    Thread submitter = new Thread(() -> {
      while (killing.get() && submitted.get() < 4 * JOBS) {
        cluster.submit(1, "");
        submitted.incrementAndGet();
        FaultCluster.sleep(150);
      }
    }, "submitter");
    helpers.add(submitter);
    submitter.start();

    int kills = KILLS;
    List<Long> killedPids = new ArrayList<>();
    List<Long> terminalAtKill = new ArrayList<>();
    while (killedPids.size() < kills) {
      FaultCluster.sleep(ThreadLocalRandom.current().nextLong(KILL_EVERY_MILLIS * 2 / 3, KILL_EVERY_MILLIS * 4 / 3 + 1));
      Optional<Long> killed = cluster.killAndRestart(Duration.ofSeconds(1));
      if (killed.isPresent()) {
        killedPids.add(killed.get());
        terminalAtKill.add(FaultCluster.terminalJobs() - TestDatabase.count("select count(*) from fault_intake"));
      }
    }
    killing.set(false);
    submitter.join();
    int jobs = submitted.get();
    awaitTerminal(jobs, Duration.ofSeconds(90 + jobs / 2));

    Invariants inv = Invariants.check().assertClean();
    report("R2 sigkill", inv, start);
    long killsMidStage = TestDatabase.count("""
        select count(distinct pid) from fault_attempts where finished_at is null and pid = any(?)""",
        (Object) killedPids.toArray(Long[]::new));
    System.out.printf("FAULTS R2 sigkill: %d kills, %d landed mid-stage, unfinished jobs at each kill %s%n",
        kills, killsMidStage, terminalAtKill);
    assertThat(inv.completedJobs()).isEqualTo(jobs);
    assertThat(inv.deadLetters()).isZero();
    assertThat(terminalAtKill.stream().filter(n -> n < 0).count())
        .as("kills that found acknowledged work still unfinished (terminal − acknowledged < 0): %s", terminalAtKill)
        .isGreaterThanOrEqualTo(kills / 2);
    assertThat(killsMidStage).as("kills that interrupted a running stage").isGreaterThanOrEqualTo(3);
    assertThat(inv.unfinishedRuns()).isPositive();
    assertThat(inv.reExecutions()).isGreaterThanOrEqualTo(inv.unfinishedRuns())
        .isLessThanOrEqualTo((long) kills * STAGES * STAGE_THREADS);
  }

  @Test
  void a_sigterm_drains_within_the_grace_period_and_releases_what_it_could_not_finish() throws Exception {
    // why visibility 60: a message the node failed to release would still be leased long after it exited.
    Map<String, String> env = Map.of("CONTENT_QUEUE_VISIBILITY", "60", "PLANPERFECT_SHUTDOWN_GRACE_SECONDS", "5");
    cluster = new FaultCluster(1, env).startAll();
    List<String> slow = cluster.submit(3, "\"research_attempt_ms\": [60000]");
    cluster.submit(40, "");
    await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
        "select count(*) from fault_attempts where stage = 'research' and finished_at is null and job_id::text = any(?)",
        (Object) slow.toArray(String[]::new)) == 3);
    long leasedBefore = TestDatabase.count("select count(*) from queue_messages where lease is not null and vt > now()");

    long start = System.nanoTime();
    int exit = cluster.node(0).terminate(Duration.ofSeconds(30));
    double exitSeconds = (System.nanoTime() - start) / 1e9;
    long leasedAfter = TestDatabase.count("select count(*) from queue_messages where lease is not null and vt > now()");
    long finishedDuringGrace = TestDatabase.count(
        "select count(*) from fault_attempts where finished_at > now() - make_interval(secs => ?)", exitSeconds + 1);
    System.out.printf("FAULTS R3 sigterm: exit %d after %.1f s (grace 5 s); leased before %d, after %d; "
        + "runs finished during shutdown %d%n", exit, exitSeconds, leasedBefore, leasedAfter, finishedDuringGrace);

    assertThat(exit).as("exit code (143 = SIGTERM after the shutdown hook ran)").isIn(0, 143);
    assertThat(exitSeconds).isLessThan(5 + 5);
    assertThat(leasedBefore).isGreaterThanOrEqualTo(3);
    assertThat(leasedAfter).as("messages still leased by the stopped node").isZero();

    long restart = System.nanoTime();
    cluster.start(0);
    awaitTerminal(43, Duration.ofSeconds(50));
    Invariants inv = Invariants.check().assertClean();
    report("R3 sigterm (after restart)", inv, restart);
    assertThat(inv.completedJobs()).isEqualTo(43);
    assertThat((System.nanoTime() - restart) / 1e9).as("finished well before the 60 s visibility").isLessThan(45);
    assertThat(TestDatabase.count("""
        select count(*) from fault_attempts where stage = 'research' and attempt = 2 and finished_at is not null
           and job_id::text = any(?)""", (Object) slow.toArray(String[]::new))).isEqualTo(3);
  }

  @Test
  void a_poison_job_that_crashes_its_jvm_is_dead_lettered_after_at_most_max_attempts_crashes() throws Exception {
    cluster = new FaultCluster(2, Map.of("CONTENT_QUEUE_VISIBILITY", "2", "CONTENT_STAGE_MAX_ATTEMPTS", "3")).startAll();
    FaultCluster.pause();
    List<String> normal = new ArrayList<>(cluster.submit(30, ""));
    List<String> poison = cluster.submit(3, "\"poison\": true");
    normal.addAll(cluster.submit(30, ""));
    AtomicInteger crashes = new AtomicInteger();
    Thread keeper = new Thread(() -> {
      while (!stop.get()) {
        for (int slot = 0; slot < cluster.size(); slot++) {
          if (!cluster.node(slot).isAlive() && !stop.get()) {
            crashes.incrementAndGet();
            try {
              cluster.start(slot);
            } catch (Exception e) {
              // it claimed a poison message and died before printing READY: a crash like any other,
              // and the slot (still holding the dead process) is restarted on the next round
            }
          }
        }
        FaultCluster.sleep(250);
      }
    }, "keeper");
    helpers.add(keeper);
    long start = System.nanoTime();
    keeper.start();
    FaultCluster.resume();

    awaitTerminal(63, Duration.ofSeconds(90));
    Invariants inv = Invariants.check().assertClean();
    report("R9 poison", inv, start);
    System.out.printf("FAULTS R9 poison: %d JVM crashes for %d poison jobs; dead letters by stage and poison flag %s%n",
        crashes.get(), poison.size(), TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select string_agg(d.stage || ':' || coalesce(j.payload ->> 'poison', 'false'), ', ') from dead_letters d "
                + "join jobs j on j.id = d.job_id").mapTo(String.class).one()));

    String[] poisonIds = poison.toArray(String[]::new);
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'failed' and id::text = any(?)", (Object) poisonIds))
        .isEqualTo(3);
    assertThat(TestDatabase.count("select count(*) from dead_letters where stage = 'research' and job_id::text = any(?)",
        (Object) poisonIds)).isEqualTo(3);
    assertThat(TestDatabase.count("""
        select max(n) from (select count(*) n from fault_attempts where stage = 'research' and job_id::text = any(?)
                            group by job_id) r""", (Object) poisonIds)).as("crashes per poison job").isBetween(1L, 3L);
    assertThat(TestDatabase.count("select count(*) from jobs where status = 'completed' and id::text = any(?)",
        (Object) normal.toArray(String[]::new))).isEqualTo(60);
    assertThat(inv.deadLetters()).isEqualTo(3);
    assertThat(crashes.get()).isBetween(3, 9);
  }
}
