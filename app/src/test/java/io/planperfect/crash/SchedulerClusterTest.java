package io.planperfect.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Three node JVMs share one database and one every-second job for a minute: each tick runs exactly once. */
@Tag("slow")
class SchedulerClusterTest {
  private static final Duration RUN_FOR = Duration.ofSeconds(60);
  private final List<ChildNode> nodes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (ChildNode node : nodes) {
      node.close();
    }
  }

  @Test
  void three_nodes_run_each_tick_of_an_every_second_job_exactly_once_for_a_minute() throws Exception {
    TestDatabase.clean();
    TestDatabase.jdbi().useHandle(h -> h.execute("""
        update scheduler_jobs set enabled = false;
        insert into scheduler_jobs (name, schedule, action, command, enabled, timeout_seconds)
        values ('every_second', '* * * * * *', 'trigger_dispatcher', 'SELECT trigger_dispatcher();', false, 10);"""));
    for (int i = 0; i < 3; i++) {
      nodes.add(ChildNode.start(0, Map.of("PLANPERFECT_SCHEDULER_POLL_MILLIS", "200")));
    }
    await().atMost(Duration.ofSeconds(30)).until(() ->
        TestDatabase.count("select count(*) from cluster_nodes where last_seen_at > now() - interval '10 seconds'") == 3);

    TestDatabase.jdbi().useHandle(h -> h.execute("select * from toggle_cron_job('every_second', true)"));
    Thread.sleep(RUN_FOR.toMillis());
    TestDatabase.jdbi().useHandle(h -> h.execute("select * from toggle_cron_job('every_second', false)"));
    await().atMost(Duration.ofSeconds(15)).until(() ->
        TestDatabase.count("select count(*) from job_runs where job_id = 'every_second' and status = 'running'") == 0);

    List<Instant> ticks = TestDatabase.jdbi().withHandle(h -> h.createQuery(
            "select scheduled_for from job_runs where job_id = 'every_second' order by scheduled_for")
        .mapTo(OffsetDateTime.class).map(OffsetDateTime::toInstant).list());
    long distinctNodes = TestDatabase.count("select count(distinct node_id) from job_runs where job_id = 'every_second'");
    long succeeded = TestDatabase.count("select count(*) from job_runs where job_id = 'every_second' and status = 'success'");
    System.out.printf("scheduler cluster: %d ticks in %s, %d succeeded, run by %d of 3 nodes%n",
        ticks.size(), RUN_FOR, succeeded, distinctNodes);

    assertThat(ticks).hasSizeGreaterThanOrEqualTo((int) RUN_FOR.toSeconds() - 3).doesNotHaveDuplicates();
    for (int i = 1; i < ticks.size(); i++) {
      assertThat(Duration.between(ticks.get(i - 1), ticks.get(i))).as("gap after %s", ticks.get(i - 1))
          .isEqualTo(Duration.ofSeconds(1));
    }
    assertThat(succeeded).isEqualTo(ticks.size());
    assertThat(distinctNodes).as("the nodes compete for the ticks; none is a leader").isGreaterThan(1);
  }
}
