package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.planperfect.PlanPerfectNode;
import io.planperfect.engine.NewJob;
import io.planperfect.json.Json;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /api/v1/jobs: filters, text search on title and url, cursor paging; bad filters refused naming them. */
class JobListApiTest {
  private final CountDownLatch gate = new CountDownLatch(1);
  private PlanPerfectNode node;
  private PipelineDefinition pipeline;
  private Http anon;

  @BeforeEach
  void start() {
    TestDatabase.clean();
    pipeline = new PipelineDefinition("content", "content", List.of("article"), List.of(
        new StageDefinition("hold", context -> {
          gate.await();
          return StageOutcome.completed(Json.object());
        })));
    node = TestNode.start(new PipelineRegistry(List.of(pipeline)));
    anon = new Http(node.port(), TestNode.ANON_KEY);
  }

  @AfterEach
  void stop() {
    gate.countDown();
    node.close();
  }

  private UUID submit(String title, String url, int priority) {
    ObjectNode payload = Json.object().put("title", title);
    if (url != null) {
      payload.put("url", url);
    }
    return node.intake().submit(new NewJob(pipeline, "article", null, payload, "hold", priority));
  }

  @Test
  void pages_walk_every_job_once_newest_first_by_cursor() {
    List<UUID> submitted = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      submitted.add(submit("job " + i, null, 0));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = anon.get("/api/v1/jobs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor)).json();
      page.path("jobs").forEach(job -> seen.add(job.path("id").asText()));
      cursor = page.path("next_cursor").isNull() ? null : page.path("next_cursor").asText();
      pages++;
    } while (cursor != null);
    assertThat(pages).isEqualTo(3);
    assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    assertThat(new HashSet<>(seen)).isEqualTo(Set.copyOf(submitted.stream().map(UUID::toString).toList()));
    assertThat(seen.get(0)).isEqualTo(submitted.get(6).toString());
  }

  @Test
  void filters_and_text_search_on_title_or_url_narrow_the_list() {
    submit("Composting basics", null, 0);
    submit("Something else", "https://example.com/compost-guide", 5);
    submit("Unrelated", null, 5);

    assertThat(anon.get("/api/v1/jobs?q=COMPOST").json().path("jobs")).hasSize(2);
    assertThat(anon.get("/api/v1/jobs?priority=5").json().path("jobs")).hasSize(2);
    assertThat(anon.get("/api/v1/jobs?priority=5&q=compost").json().path("jobs")).hasSize(1);
    assertThat(anon.get("/api/v1/jobs?pipeline=other").json().path("jobs")).isEmpty();
    assertThat(anon.get("/api/v1/jobs?stage=hold&created_after=2000-01-01T00:00:00Z").json().path("jobs")).hasSize(3);
    JsonNode first = anon.get("/api/v1/jobs?q=basics").json().path("jobs").get(0);
    assertThat(first.path("title").asText()).isEqualTo("Composting basics");
    assertThat(first.has("percent")).isTrue();
  }

  @Test
  void the_batch_filter_lists_one_batchs_jobs() {
    submit("Outside any batch", null, 0);
    Http.Response created = anon.post("/api/v1/batches",
        "[{\"job_type\":\"article\",\"payload\":{\"title\":\"a\"}},{\"job_type\":\"article\",\"payload\":{\"title\":\"b\"}}]");
    assertThat(created.status()).isEqualTo(201);
    String batch = created.json().path("batch_id").asText();

    JsonNode jobs = anon.get("/api/v1/jobs?batch=" + batch).json().path("jobs");
    assertThat(jobs).hasSize(2);
    Set<String> ids = new HashSet<>();
    created.json().path("job_ids").forEach(id -> ids.add(id.asText()));
    jobs.forEach(job -> assertThat(ids).contains(job.path("id").asText()));
    assertThat(anon.get("/api/v1/jobs?batch=" + batch + "&q=b").json().path("jobs")).hasSize(1);
    assertThat(anon.get("/api/v1/jobs?batch=" + UUID.randomUUID()).json().path("jobs")).isEmpty();
    assertThat(anon.get("/api/v1/jobs").json().path("jobs")).hasSize(3);
  }

  @Test
  void a_bad_filter_is_a_400_naming_it() {
    for (String[] bad : List.of(new String[] {"status=nope", "status"}, new String[] {"batch=42", "batch"}, new String[] {"priority=high", "priority"},
        new String[] {"created_after=yesterday", "created_after"}, new String[] {"limit=0", "limit"},
        new String[] {"cursor=!!", "cursor"})) {
      Http.Response response = anon.get("/api/v1/jobs?" + bad[0]);
      assertThat(response.status()).as(bad[0]).isEqualTo(400);
      assertThat(response.json().path("field").asText()).as(bad[0]).isEqualTo(bad[1]);
    }
  }
}
