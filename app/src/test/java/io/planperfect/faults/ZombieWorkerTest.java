package io.planperfect.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * R7, zombie workers and lease fencing, across two worker JVMs: the research stage's first run
 * outlives its lease. With heartbeats off the message is delivered again, usually to the other
 * process, and the zombie's late ack must be rejected; with heartbeats on nothing is delivered twice.
 * The negative control switches the fence off and shows the checker catching the accepted zombie ack.
 */
@Tag("slow")
class ZombieWorkerTest {
  /** R7 with heartbeats off: 100 jobs, lease 2 s in CI; 1,000 jobs, lease 5 s in a full run. */
  private static final int ZOMBIE_JOBS = FaultSize.of("zombie.jobs", 100, 1_000);
  private static final int LEASE_SECONDS = FaultSize.of("zombie.lease", 2, 5);
  /** R7 with heartbeats on: jobs whose research runs 2 leases, and a few that run many leases. */
  private static final int HEARTBEAT_JOBS = FaultSize.of("heartbeat.jobs", 32, 1_000);
  private static final int LONG_JOBS = FaultSize.of("heartbeat.long.jobs", 2, 10);
  private static final int LONG_LEASES = FaultSize.of("heartbeat.long.leases", 4, 10);
  private static final int HEARTBEAT_LEASE_SECONDS = 4;
  private static final int STAGES = 6;

  private FaultCluster cluster;

  @BeforeEach
  void clean() {
    TestDatabase.clean();
    Invariants.createLedgers();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (cluster != null) {
      cluster.close();
    }
    TestDatabase.jdbi().useHandle(h -> h.execute(KEEP_LEASE_OFF));
  }

  /**
   * Two nodes with the given lease and heartbeats; 16 runner threads per stage on each node (24 in a full run) but 16
   * research slots in all, so that threads are free to take an expired message while its zombie
   * still runs.
   */
  private static FaultCluster nodes(int leaseSeconds, boolean heartbeats) throws Exception {
    Map<String, String> env = new HashMap<>(Map.of(
        "CONTENT_QUEUE_VISIBILITY", Integer.toString(leaseSeconds),
        "PLANPERFECT_HEARTBEATS", Boolean.toString(heartbeats),
        "CONTENT_STAGE_MAX_ATTEMPTS", "20",
        "PLANPERFECT_STAGE_CONCURRENCY", FaultSize.FULL ? "24" : "16",
        "CONTENT_STAGE_RESEARCH_MAX_CONCURRENCY", "16",
        "PLANPERFECT_DB_POOL_SIZE", "20"));
    return new FaultCluster(2, env).startAll();
  }

  /** Research attempt 1 runs 1.6 leases (a zombie once its lease is gone), attempt 2 runs 0.75 of a lease. */
  private static String zombiePayload(int leaseSeconds) {
    return "\"research_attempt_ms\": [%d, %d]".formatted(leaseSeconds * 1_600, leaseSeconds * 750);
  }

  private static void awaitTerminal(long jobs, Duration atMost) {
    await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> FaultCluster.terminalJobs() == jobs);
  }

  private static long crossProcessRedeliveries() {
    return TestDatabase.count(
        "select count(*) from (select 1 from fault_attempts group by job_id, stage having count(distinct pid) > 1) d");
  }

  private static long retries() {
    return TestDatabase.count("select count(*) from job_events where event_type = 'retry_scheduled'");
  }

  @Test
  void with_heartbeats_off_a_stage_run_outliving_its_lease_runs_again_elsewhere_and_only_one_result_is_applied()
      throws Exception {
    cluster = nodes(LEASE_SECONDS, false);
    long start = System.nanoTime();
    cluster.submit(ZOMBIE_JOBS, zombiePayload(LEASE_SECONDS));
    awaitTerminal(ZOMBIE_JOBS, Duration.ofSeconds(60 + ZOMBIE_JOBS * LEASE_SECONDS / 2));

    Invariants inv = Invariants.check().assertClean();
    long crossProcess = crossProcessRedeliveries();
    long retries = retries();
    System.out.printf("FAULTS R7 zombies (heartbeats off, lease %d s): %d jobs in %.1f s; runs %d, re-executions %d, "
            + "stale acks rejected %d, retries %d, (job, stage) run in both processes %d; %s%n", LEASE_SECONDS, ZOMBIE_JOBS,
        (System.nanoTime() - start) / 1e9, inv.executions(), inv.reExecutions(), inv.staleAcksRejected(), retries,
        crossProcess, inv);
    assertThat(inv.completedJobs()).isEqualTo(ZOMBIE_JOBS);
    assertThat(inv.deadLetters()).isZero();
    assertThat(inv.staleAcksRejected()).as("zombie acks rejected").isGreaterThanOrEqualTo(ZOMBIE_JOBS / 2);
    assertThat(inv.reExecutions()).as("every extra run is a rejected ack or a retry of a failure")
        .isEqualTo(inv.staleAcksRejected() + retries);
    assertThat(crossProcess).as("stages delivered to both worker processes").isPositive();
  }

  @Test
  void with_heartbeats_on_stages_running_for_many_leases_are_never_delivered_twice() throws Exception {
    int lease = HEARTBEAT_LEASE_SECONDS;
    cluster = nodes(lease, true);
    long start = System.nanoTime();
    List<String> longJobs = cluster.submit(LONG_JOBS, "\"research_attempt_ms\": [%d]".formatted(LONG_LEASES * lease * 1_000));
    cluster.submit(HEARTBEAT_JOBS, "\"research_attempt_ms\": [%d]".formatted(2 * lease * 1_000));
    int jobs = LONG_JOBS + HEARTBEAT_JOBS;
    awaitTerminal(jobs, Duration.ofSeconds(60 + LONG_LEASES * lease + (long) HEARTBEAT_JOBS * 2 * lease / 8));

    Invariants inv = Invariants.check().assertClean();
    long takeovers = TestDatabase.count("select count(*) from queue_archive where read_ct > 1");
    long longestRun = TestDatabase.count("""
        select max(extract(epoch from finished_at - started_at))::bigint from fault_attempts
         where stage = 'research' and job_id::text = any(?)""", (Object) longJobs.toArray(String[]::new));
    System.out.printf("FAULTS R7 heartbeats on (lease %d s): %d jobs in %.1f s (%d research runs of %d leases, %d of 2); "
            + "longest run %d s; takeovers %d; %s%n", lease, jobs, (System.nanoTime() - start) / 1e9, LONG_JOBS, LONG_LEASES,
        HEARTBEAT_JOBS, longestRun, takeovers, inv);
    assertThat(inv.completedJobs()).isEqualTo(jobs);
    assertThat(longestRun).as("a heartbeat kept a run of %d leases", LONG_LEASES)
        .isGreaterThanOrEqualTo((long) LONG_LEASES * lease);
    assertThat(takeovers).as("messages claimed more than once").isZero();
    assertThat(inv.reExecutions()).isZero();
    assertThat(inv.executions()).isEqualTo((long) jobs * STAGES);
    assertThat(inv.staleAcksRejected()).isZero();
    assertThat(inv.deadLetters()).isZero();
  }

  /**
   * Negative control: a trigger keeps a message's lease when it is claimed again, so the fence
   * compares equal tokens, as pgmq's archive by msg_id alone would. The zombie's ack then lands
   * while the second run still holds the message, and the checker must report it.
   */
  @Test
  void with_the_lease_fence_switched_off_the_checker_reports_the_zombies_accepted_acks() throws Exception {
    TestDatabase.jdbi().useHandle(h -> h.execute(KEEP_LEASE_ON));
    int jobs = FaultSize.of("zombie.control.jobs", 20, 100);
    cluster = nodes(LEASE_SECONDS, false);
    cluster.submit(jobs, zombiePayload(LEASE_SECONDS));
    awaitTerminal(jobs, Duration.ofSeconds(60 + jobs * LEASE_SECONDS / 2));

    Invariants inv = Invariants.check();
    System.out.printf("FAULTS R7 control (fence off): %d jobs; %s%n", jobs, inv);
    assertThat(inv.staleAcksAccepted()).as("zombie acks accepted while another run held the message").isPositive();
    assertThat(inv.lost()).isZero();
  }

  private static final String KEEP_LEASE_ON = """
      create or replace function fault_keep_lease() returns trigger language plpgsql as $$
      begin
          if old.lease is not null and new.lease is not null then
              new.lease := old.lease;
          end if;
          return new;
      end $$;
      drop trigger if exists fault_keep_lease on queue_messages;
      create trigger fault_keep_lease before update of lease on queue_messages
          for each row execute function fault_keep_lease();
      """;

  private static final String KEEP_LEASE_OFF = "drop trigger if exists fault_keep_lease on queue_messages";
}
