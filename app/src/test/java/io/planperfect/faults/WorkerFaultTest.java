package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Fault injection on worker JVMs (RELIABILITY.md R1, R2, R3, R9, scaled for CI), judged by the
 * invariant checker over the committed tables, the client ledger and the attempt ledger.
 */
@Tag("slow")
class WorkerFaultTest {
  private static final int STAGES = 6;
  private static final int STAGE_THREADS = 4; // PLANPERFECT_STAGE_CONCURRENCY default
  /** Jobs for R1 and R2: 150 in CI (a loaded 2-core machine), workload W's 10,000 in a full run. */
  private static final int JOBS = FaultSize.of("jobs", 150, 10_000);
  /**
   * R2's SIGKILLs (half at random moments, every ~1.5 s in CI and ~5 s in a full run; half at
   * named moments of an attempt): 10 in CI, 50 in a full run.
   */
  private static final int KILLS = FaultSize.of("kills", 10, 50);
  private static final int KILL_EVERY_MILLIS = FaultSize.of("kill.every.ms", 1_500, 5_000);
  /** R3's SIGTERMs, each with its own batch of work in flight: 1 in CI, 20 in a full run. */
  private static final int SIGTERMS = FaultSize.of("sigterms", 1, 20);
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

  /**
   * R2: half the kills land at random moments, half at named moments of an attempt: right after
   * the claim commits, mid-stage, after the handler's work but before its result is stored, inside
   * the result's transaction before its commit, and after that commit before the node's own
   * bookkeeping. A node started with a point stops there (FaultNodeMain) and is killed at once.
   */
  @Test
  void sigkills_of_workers_at_random_and_at_each_commit_phase_lose_nothing_and_apply_each_result_once() throws Exception {
    int targetedKills = KILLS / 2;
    int randomKills = KILLS - targetedKills;
    List<TargetedKill> targeted = new CopyOnWriteArrayList<>();
    AtomicInteger turn = new AtomicInteger();
    // why max attempts 20: a kill is not the job's fault; with the default 3 an unlucky stage hit by
    // three kills would be dead-lettered as poison, which is R9's subject, not this one's.
    cluster = new FaultCluster(3, Map.of("CONTENT_QUEUE_VISIBILITY", "3", "CONTENT_STAGE_MAX_ATTEMPTS", "20"))
        .perStartEnv(() -> nextPausePoint(targeted, targetedKills, turn))
        .startAll();
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
    Thread pointKiller = new Thread(() -> killAtFaultPoints(targeted, targetedKills), "point-killer");
    helpers.add(submitter);
    helpers.add(pointKiller);
    submitter.start();
    pointKiller.start();

    List<Long> killedPids = new ArrayList<>();
    List<Instant> killedAt = new ArrayList<>();
    List<Long> terminalAtKill = new ArrayList<>();
    while (killedPids.size() < randomKills) {
      FaultCluster.sleep(ThreadLocalRandom.current().nextLong(KILL_EVERY_MILLIS * 2 / 3, KILL_EVERY_MILLIS * 4 / 3 + 1));
      Instant at = Instant.now();
      Optional<Long> killed = cluster.killBusyAndRestart(Duration.ofSeconds(1));
      if (killed.isPresent()) {
        killedPids.add(killed.get());
        killedAt.add(at);
        terminalAtKill.add(FaultCluster.terminalJobs() - TestDatabase.count("select count(*) from fault_intake"));
      }
    }
    pointKiller.join(Duration.ofSeconds(60 + 20L * targetedKills).toMillis());
    killing.set(false);
    submitter.join();
    int jobs = submitted.get();
    awaitTerminal(jobs, Duration.ofSeconds(90 + jobs / 2));

    Invariants inv = Invariants.check().assertClean();
    report("R2 sigkill", inv, start);
    long killsMidStage = TestDatabase.count("""
        select count(distinct pid) from fault_attempts where finished_at is null and pid = any(?)""",
        (Object) killedPids.toArray(Long[]::new));
    List<Double> rescues = rescueSeconds(killedPids, killedAt, targeted);
    System.out.printf("FAULTS R2 sigkill: %d random kills, %d landed mid-stage, terminal − acknowledged jobs at each kill %s%n",
        randomKills, killsMidStage, terminalAtKill);
    System.out.printf("FAULTS R2 sigkill: %d targeted kills %s%n", targeted.size(), targeted.stream()
        .collect(Collectors.groupingBy(TargetedKill::point, TreeMap::new, Collectors.counting())));
    System.out.printf("FAULTS R2 sigkill: killed claims rescued %d, seconds from kill to the next run p50 %.2f, p99 %.2f, "
        + "max %.2f; over %.0f s (lease 3 s + claim fallback 1 s + 1 s): %d%n", rescues.size(), percentile(rescues, 0.5),
        percentile(rescues, 0.99), percentile(rescues, 1.0), RESCUE_FORMULA_SECONDS,
        rescues.stream().filter(r -> r > RESCUE_FORMULA_SECONDS).count());

    assertThat(pointsStillShort(targeted, targetedKills)).as("points with fewer than %d kills", perPoint(targetedKills))
        .isEmpty();
    assertThat(inv.completedJobs()).isEqualTo(jobs);
    assertThat(inv.deadLetters()).isZero();
    assertThat(terminalAtKill.stream().filter(n -> n < 0).count())
        .as("kills that found acknowledged work still unfinished (terminal − acknowledged < 0): %s", terminalAtKill)
        .isGreaterThanOrEqualTo(randomKills / 2);
    assertThat(killsMidStage).as("random kills that interrupted a running stage").isGreaterThanOrEqualTo(Math.min(3, randomKills / 2));
    assertThat(inv.unfinishedRuns()).isPositive();
    assertThat(inv.reExecutions()).isGreaterThanOrEqualTo(inv.unfinishedRuns())
        .isLessThanOrEqualTo((long) KILLS * STAGES * STAGE_THREADS);
    assertThat(rescues).as("killed claims whose stage ran again").hasSizeGreaterThanOrEqualTo(targetedKills * 4 / 5);
    // why 13 s: the plan's p100 for "lease + sweep interval + 1 s" with W's 10 s lease. Here the lease is
    // 3 s, so the formula's 5 s is printed above and recorded in RELIABILITY.md, while the assertion
    // keeps the plan's figure: on this loaded 2-core machine a surviving node can stall for seconds.
    assertThat(percentile(rescues, 1.0)).as("longest kill-to-rescue, s").isLessThanOrEqualTo(13);
  }

  /** RELIABILITY.md's rescue bound, lease + sweep interval + 1 s, with R2's 3 s lease and the 1 s claim fallback. */
  private static final double RESCUE_FORMULA_SECONDS = 3 + 1 + 1;

  /** The moments R2 kills at: the engine's hooks and two in FaultNodeMain's handler. */
  private static final List<String> PAUSE_POINTS =
      List.of("CLAIMED", "MID_STAGE", "SIDE_EFFECT_DONE", "RESULT_UNCOMMITTED", "RESULT_COMMITTED");

  /** A kill at a fault point: when the node reached it, and when it was killed. */
  private record TargetedKill(String point, UUID job, String stage, long pid, Instant reached, Instant at) {}

  /** Targeted kills wanted at each point: a fifth of the targeted kills, at least one. */
  private static int perPoint(int targetedKills) {
    return Math.max(1, targetedKills / PAUSE_POINTS.size());
  }

  /** The points still short of kills, in turn, for the next node to stop at; nothing once all are done. */
  private static Map<String, String> nextPausePoint(List<TargetedKill> done, int targetedKills, AtomicInteger turn) {
    List<String> missing = pointsStillShort(done, targetedKills);
    if (missing.isEmpty()) {
      return Map.of();
    }
    return Map.of("FAULT_PAUSE_AT", missing.get(Math.floorMod(turn.getAndIncrement(), missing.size())),
        "FAULT_PAUSE_AFTER", Integer.toString(ThreadLocalRandom.current().nextInt(1, 9)));
  }

  private static List<String> pointsStillShort(List<TargetedKill> done, int targetedKills) {
    Map<String, Long> byPoint = done.stream().collect(Collectors.groupingBy(TargetedKill::point, Collectors.counting()));
    return PAUSE_POINTS.stream().filter(p -> byPoint.getOrDefault(p, 0L) < perPoint(targetedKills)).toList();
  }

  /** SIGKILLs each node the moment it reports reaching its fault point. */
  private void killAtFaultPoints(List<TargetedKill> done, int targetedKills) {
    try {
      while (!stop.get() && !pointsStillShort(done, targetedKills).isEmpty()) {
        for (int slot = 0; slot < cluster.size(); slot++) {
          var node = cluster.node(slot);
          Optional<String> point = node == null || !node.isAlive() ? Optional.empty() : node.faultPoint();
          if (point.isPresent()) {
            Instant at = Instant.now();
            Optional<Long> pid = cluster.killAndRestart(slot, Duration.ofSeconds(1));
            if (pid.isPresent()) {
              String[] parts = point.get().split(" ");
              done.add(new TargetedKill(parts[0], UUID.fromString(parts[1]), parts[2], pid.get(),
                  Instant.ofEpochMilli(Long.parseLong(parts[3])), at));
            }
          }
        }
        FaultCluster.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * For every claim a kill cut short (runs of a killed pid that never finished, and the targeted
   * kills before the result's commit), the seconds from the kill to the next start of that stage;
   * 0 when it had already started again before the kill (the lease lapsed while the kill waited for
   * another node to come back up, and even the paused node's own loop may have taken it again), or
   * when the cut run itself was a zombie that began only after another process took its message.
   */
  private static List<Double> rescueSeconds(List<Long> pids, List<Instant> killedAt, List<TargetedKill> targeted) {
    record Cut(String what, String job, String stage, long run, long pid, Instant after, Instant killed) {}
    List<Cut> cuts = new ArrayList<>();
    for (int i = 0; i < pids.size(); i++) {
      Instant killed = killedAt.get(i);
      long pid = pids.get(i);
      TestDatabase.jdbi().withHandle(h -> h.createQuery(
              "select id, job_id::text, stage, started_at from fault_attempts where pid = :pid and finished_at is null")
          .bind("pid", pid)
          .map((rs, ctx) -> new Cut("random", rs.getString(2), rs.getString(3), rs.getLong(1), pid,
              rs.getObject(4, OffsetDateTime.class).toInstant(), killed))
          .list()).forEach(cuts::add);
    }
    targeted.stream().filter(k -> !k.point().equals("RESULT_COMMITTED"))
        .forEach(k -> cuts.add(new Cut(k.point(), k.job().toString(), k.stage(), 0, k.pid(), k.reached(), k.at())));
    List<Double> seconds = new ArrayList<>();
    for (Cut cut : cuts) {
      record Others(OffsetDateTime next, long count) {}
      Others others = TestDatabase.jdbi().withHandle(h -> h.createQuery("""
              select min(started_at) filter (where started_at > :after) as next,
                     count(*) filter (where started_at > :after or pid <> :pid) as others
                from fault_attempts where job_id = cast(:job as uuid) and stage = :stage and id <> :run""")
          .bind("after", OffsetDateTime.ofInstant(cut.after(), ZoneOffset.UTC)).bind("job", cut.job())
          .bind("stage", cut.stage()).bind("pid", cut.pid()).bind("run", cut.run())
          .map((rs, ctx) -> new Others(rs.getObject("next", OffsetDateTime.class), rs.getLong("others"))).one());
      assertThat(others.count()).as("other runs of %s %s after a %s kill", cut.job(), cut.stage(),
          cut.what()).isPositive();
      OffsetDateTime next = others.next();
      double rescued = next == null ? 0 : Math.max(0, Duration.between(cut.killed(), next.toInstant()).toNanos() / 1e9);
      if (rescued > RESCUE_FORMULA_SECONDS) {
        System.out.printf("FAULTS R2 sigkill: slow rescue, %s kill of %s %s: next run after %.2f s%n",
            cut.what(), cut.job(), cut.stage(), rescued);
      }
      seconds.add(rescued);
    }
    return seconds;
  }

  private static double percentile(List<Double> values, double p) {
    List<Double> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Double.NaN : sorted.get(Math.max(0, (int) Math.ceil(p * sorted.size()) - 1));
  }

  @Test
  void a_sigterm_drains_within_the_grace_period_and_releases_what_it_could_not_finish() throws Exception {
    // why visibility 60: a message the node failed to release would still be leased long after it exited.
    Map<String, String> env = Map.of("CONTENT_QUEUE_VISIBILITY", "60", "PLANPERFECT_SHUTDOWN_GRACE_SECONDS", "5");
    cluster = new FaultCluster(1, env).startAll();
    List<String> slow = new ArrayList<>();
    for (int round = 1; round <= SIGTERMS; round++) {
      List<String> slowThisRound = cluster.submit(3, "\"research_attempt_ms\": [60000]");
      slow.addAll(slowThisRound);
      cluster.submit(40, "");
      await().atMost(Duration.ofSeconds(30)).until(() -> TestDatabase.count(
          "select count(*) from fault_attempts where stage = 'research' and finished_at is null and job_id::text = any(?)",
          (Object) slowThisRound.toArray(String[]::new)) == 3);
      long leasedBefore = TestDatabase.count("select count(*) from queue_messages where lease is not null and vt > now()");

      long start = System.nanoTime();
      int exit = cluster.node(0).terminate(Duration.ofSeconds(30));
      double exitSeconds = (System.nanoTime() - start) / 1e9;
      long leasedAfter = TestDatabase.count("select count(*) from queue_messages where lease is not null and vt > now()");
      long finishedDuringGrace = TestDatabase.count(
          "select count(*) from fault_attempts where finished_at > now() - make_interval(secs => ?)", exitSeconds + 1);
      System.out.printf("FAULTS R3 sigterm %d/%d: exit %d after %.1f s (grace 5 s); leased before %d, after %d; "
          + "runs finished during shutdown %d%n", round, SIGTERMS, exit, exitSeconds, leasedBefore, leasedAfter,
          finishedDuringGrace);

      assertThat(exit).as("exit code of a drained node").isZero();
      // why 5 s over the grace: releasing, closing and the JVM's exit on a loaded machine; the slow runs take 60 s
      assertThat(exitSeconds).as("seconds to exit (grace 5 s + 5 s)").isLessThan(5 + 5);
      assertThat(leasedBefore).isGreaterThanOrEqualTo(3);
      assertThat(leasedAfter).as("messages still leased by the stopped node").isZero();

      long restart = System.nanoTime();
      cluster.start(0);
      awaitTerminal(43L * round, Duration.ofSeconds(50));
      assertThat((System.nanoTime() - restart) / 1e9).as("finished well before the 60 s visibility").isLessThan(45);
      assertThat(TestDatabase.count("""
          select count(*) from fault_attempts where stage = 'research' and attempt = 2 and finished_at is not null
             and job_id::text = any(?)""", (Object) slowThisRound.toArray(String[]::new))).isEqualTo(3);
    }
    Invariants inv = Invariants.check().assertClean();
    System.out.printf("FAULTS R3 sigterm: %d SIGTERMs; %s%n", SIGTERMS, inv);
    assertThat(inv.completedJobs()).isEqualTo(43L * SIGTERMS);
    assertThat(inv.reExecutions()).as("the released slow runs ran again").isGreaterThanOrEqualTo(3L * SIGTERMS);
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
