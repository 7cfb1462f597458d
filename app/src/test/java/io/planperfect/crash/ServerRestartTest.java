package io.planperfect.crash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A server killed mid-run (SIGKILL, child JVM) loses no job: a restarted server finishes them all. */
@Tag("slow")
class ServerRestartTest {
  private static final int JOBS = 30;
  private static final Map<String, String> SHORT_VISIBILITY = Map.of("CONTENT_QUEUE_VISIBILITY", "2");

  @BeforeEach
  void clean() {
    TestDatabase.clean();
  }

  @Test
  void a_server_killed_mid_run_and_restarted_finishes_every_job_with_each_stage_completed_once() throws Exception {
    List<String> ids = new ArrayList<>();
    try (ChildNode first = ChildNode.start(150, SHORT_VISIBILITY)) {
      Http http = new Http(first.port(), TestNode.ANON_KEY);
      for (int i = 0; i < JOBS; i++) {
        Http.Response response = http.post("/functions/v1/content-intake", """
            {"job_type": "article", "payload": {"title": "Crash %d", "keywords": ["crash"], "word_count": 200}}""".formatted(i));
        assertThat(response.status()).isEqualTo(201);
        ids.add(response.json().get("job_id").asText());
      }
      await().atMost(Duration.ofSeconds(30))
          .until(() -> TestDatabase.count("select count(*) from job_stages where status = 'completed'") >= JOBS);
      first.kill();
    }
    long completedAtKill = TestDatabase.count("select count(*) from jobs where status = 'completed'");
    // why not "and vt > now()": the killed node's last heartbeat gave its leases 2 s at most, which a slow kill
    // and query on a loaded machine can outlast; only this node ever leased, and nothing releases after a SIGKILL
    long inFlightAtKill = TestDatabase.count("select count(*) from queue_messages where lease is not null");
    assertThat(completedAtKill).as("the kill must land mid-run").isLessThan(JOBS);

    try (ChildNode second = ChildNode.start(0, SHORT_VISIBILITY)) {
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .until(() -> TestDatabase.count("select count(*) from jobs where status = 'completed'") == JOBS);
    }

    assertThat(inFlightAtKill).as("messages leased by the killed node").isPositive();
    assertThat(TestDatabase.count("select count(*) from jobs where id::text = any(?)", (Object) ids.toArray(String[]::new)))
        .isEqualTo(JOBS);
    assertThat(TestDatabase.count("select count(*) from job_payloads")).isEqualTo(JOBS * 6L);
    assertThat(TestDatabase.count("""
        select count(*) from (select job_id, stage from job_events where event_type = 'completed'
                              group by job_id, stage having count(*) <> 1) d""")).isZero();
    assertThat(TestDatabase.count("""
        select count(*) from (select job_id, stage from queue_archive group by job_id, stage having count(*) <> 1) d"""))
        .isZero();
    assertThat(TestDatabase.count("select count(*) from queue_messages")).isZero();
  }
}
