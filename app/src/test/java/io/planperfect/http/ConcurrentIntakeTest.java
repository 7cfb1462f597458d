package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.json.Json;
import io.planperfect.pipeline.Fields;
import io.planperfect.pipeline.IntakeRules;
import io.planperfect.pipeline.InvalidField;
import io.planperfect.pipeline.PipelineDefinition;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.pipeline.StageDefinition;
import io.planperfect.pipeline.StageOutcome;
import io.planperfect.testing.Http;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Concurrent single intakes are committed in groups (issue 20 item 5): every request still gets its own
 * job, committed before it is answered, and a request refused (by its checks, or by its pipeline while
 * its group is being stored) gets its 400 while the requests it shared a group with are stored.
 */
class ConcurrentIntakeTest {
  private static final String REFUSED_WHEN_STORED = "refused when stored";
  private static final int REQUESTS = 200;
  private static final int THREADS = 32;

  /** A pipeline whose intake refuses one title only in the transaction that stores the job. */
  private static final PipelineDefinition WORK = new PipelineDefinition("work", "content", List.of("work"), List.of(
      new StageDefinition("research", context -> StageOutcome.completed(Json.object().put("done", true)))))
      .withIntake(new IntakeRules() {
        @Override
        public ObjectNode validate(ObjectNode payload) {
          Fields.requiredText(payload, "title", "payload.title");
          return payload;
        }

        @Override
        public void accepted(Handle transaction, UUID jobId, ObjectNode payload) {
          if (payload.path("title").asText().equals(REFUSED_WHEN_STORED)) {
            throw new InvalidField("payload.title", "this title is refused when the job is stored");
          }
        }
      });

  private PlanPerfectNode node;
  private Http anon;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    node = TestNode.start(new PipelineRegistry(List.of(WORK)));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    node.close();
  }

  private static String body(int n) {
    if (n == 50) {
      return "{\"job_type\": \"work\", \"payload\": {\"no_title\": true}}";
    }
    String title = n == 120 ? REFUSED_WHEN_STORED : "Article " + n;
    return "{\"job_type\": \"work\", \"payload\": {\"title\": \"" + title + "\", \"n\": " + n + "}}";
  }

  @Test
  void concurrent_intakes_each_get_their_own_committed_job_and_a_bad_one_its_400() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Http.Response>> answers = new ArrayList<>();
    try {
      for (int n = 0; n < REQUESTS; n++) {
        String body = body(n);
        answers.add(threads.submit(() -> {
          go.await();
          return anon.post("/functions/v1/content-intake", body);
        }));
      }
      go.countDown();
      Set<String> jobIds = new HashSet<>();
      for (int n = 0; n < REQUESTS; n++) {
        Http.Response answer = answers.get(n).get();
        if (n == 50 || n == 120) {
          assertThat(answer.status()).as("request %d: %s", n, answer.body()).isEqualTo(400);
          assertThat(answer.json().get("field").asText()).isEqualTo("payload.title");
        } else {
          assertThat(answer.status()).as("request %d: %s", n, answer.body()).isEqualTo(201);
          jobIds.add(answer.json().get("job_id").asText());
          long stored = TestDatabase.count("select count(*) from jobs where id = cast(? as uuid) and payload->>'n' = ?",
              answer.json().get("job_id").asText(), String.valueOf(n));
          assertThat(stored).as("request %d's job is committed and is its own", n).isEqualTo(1);
        }
      }
      assertThat(jobIds).hasSize(REQUESTS - 2);
      assertThat(TestDatabase.count("select count(*) from jobs")).isEqualTo(REQUESTS - 2);
      assertThat(TestDatabase.count("select count(*) from job_stages")).isEqualTo(REQUESTS - 2);
      assertThat(TestDatabase.count("select count(*) from job_events where event_type = 'queued'"))
          .isEqualTo(REQUESTS - 2);
      assertThat(TestDatabase.count("select count(*) from jobs where payload->>'title' = ?", REFUSED_WHEN_STORED))
          .isZero();
    } finally {
      threads.shutdownNow();
    }
  }
}
