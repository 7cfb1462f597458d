package io.planperfect.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import io.planperfect.PlanPerfectNode;
import io.planperfect.pipeline.PipelineRegistry;
import io.planperfect.stages.content.ContentPipeline;
import io.planperfect.stages.schema.SchemaPipeline;
import io.planperfect.testing.TestDatabase;
import io.planperfect.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The one route table: what the node serves, each route with its keys, audience and summary, and the server keeps to it. */
class RouteTableTest {
  private static final PipelineRegistry PIPELINES =
      new PipelineRegistry(List.of(ContentPipeline.definition(), SchemaPipeline.definition()));
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private static PlanPerfectNode node;

  @BeforeAll
  static void start() {
    TestDatabase.clean();
    node = TestNode.start(PIPELINES);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @Test
  void every_route_has_a_summary_keys_and_an_audience_that_owns_its_path() {
    assertThat(node.routes()).isNotEmpty().allSatisfy(route -> {
      assertThat(route.summary()).as(route.key()).isNotBlank();
      assertThat(route.access()).as(route.key()).isNotNull();
      assertThat(route.audience().owns(route.path())).as(route.key() + " under " + route.audience()).isTrue();
    });
  }

  @Test
  void no_two_routes_share_a_method_and_path() {
    assertThat(node.routes().stream().collect(Collectors.groupingBy(Route::key, Collectors.counting())))
        .allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
  }

  @Test
  void only_health_and_the_api_documentation_are_served_without_a_key() {
    assertThat(node.routes().stream().filter(r -> r.access().isEmpty()).map(Route::key))
        .containsExactlyInAnyOrder("GET /health", "GET /health/live", "GET /health/ready", "GET /api/v1/openapi.json", "GET /api/docs");
  }

  @Test
  void the_table_holds_the_seeds_routes_and_one_worker_endpoint_per_stage() {
    List<String> seed = node.routes().stream().filter(r -> r.audience() == Audience.SEED_COMPATIBLE).map(Route::key).toList();
    int stages = PIPELINES.all().stream().mapToInt(p -> p.stageNames().size()).sum();
    assertThat(seed).contains("POST /functions/v1/content-intake", "GET /rest/v1/content_jobs",
        "POST /functions/v1/content-queue-dispatcher", "POST /functions/v1/content-research-worker",
        "POST /functions/v1/schema-validate-worker");
    assertThat(seed.stream().filter(k -> k.endsWith("-worker"))).hasSize(stages);
  }

  @Test
  void the_server_asks_every_route_for_the_keys_its_row_names() {
    for (Route route : node.routes()) {
      String path = route.path().replaceAll("\\{[^}]+}", "x");
      if (route.access().isEmpty()) {
        assertThat(status(route.method(), path, null)).as(route.key()).isEqualTo(200);
        continue;
      }
      assertThat(status(route.method(), path, null)).as(route.key() + " without a key").isEqualTo(401);
      if (!route.access().contains(Access.ANON)) {
        assertThat(status(route.method(), path, TestNode.ANON_KEY)).as(route.key() + " with the anon key").isEqualTo(403);
      }
    }
  }

  @Test
  void a_second_route_with_the_same_method_and_path_is_refused() {
    RouteTable table = new RouteTable();
    table.section(Audience.API_V1).get("/api/v1/things", Route.SERVICE_KEY, "Things", ctx -> {});
    assertThatThrownBy(() -> table.section(Audience.API_V1).get("/api/v1/things", Route.ANY_KEY, "Again", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("GET /api/v1/things");
  }

  @Test
  void a_route_outside_its_audiences_paths_or_without_a_summary_is_refused() {
    RouteTable table = new RouteTable();
    assertThatThrownBy(() -> table.section(Audience.SEED_COMPATIBLE).get("/api/v1/things", Route.ANY_KEY, "Things", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SEED_COMPATIBLE");
    assertThatThrownBy(() -> table.section(Audience.API_V1).get("/api/v1/things", Route.ANY_KEY, " ", ctx -> {}))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no summary");
    assertThat(table.routes()).isEmpty();
  }

  private static int status(HandlerType method, String path, String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
        .method(method.name(), HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      return CLIENT.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
