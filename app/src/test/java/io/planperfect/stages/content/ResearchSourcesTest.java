package io.planperfect.stages.content;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.planperfect.fetch.AllowList;
import io.planperfect.fetch.FetchPolicy;
import io.planperfect.fetch.GuardedFetcher;
import io.planperfect.stages.Contexts;
import io.planperfect.testing.LocalSite;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Research reads each source's address through the guarded fetcher (a site on 127.0.0.1, the one allowed address). */
class ResearchSourcesTest {
  private LocalSite site;
  private GuardedFetcher fetcher;

  @BeforeEach
  void start() throws IOException {
    site = LocalSite.start();
    site.page("/tomatoes", """
        <html><head><title>Tomato basics</title><meta name="description" content="All about tomatoes"></head>
        <body><nav>Home | Shop | Login</nav><main>
        <h1>Growing tomatoes</h1>
        <p>Short intro.</p>
        <h2>Container gardening for tomatoes</h2>
        <p>Container gardening lets you grow tomatoes on a balcony with deep pots and rich compost every season.</p>
        <h2>Watering</h2>
        <p>Water the plants in the morning so the leaves dry before the evening and mildew has no chance at all.</p>
        <p>Cherry tomatoes ripen early and suit small balconies, hanging baskets and sunny window boxes alike.</p>
        </main><footer>Copyright</footer><script>var x = 1;</script></body></html>
        """);
    fetcher = new GuardedFetcher(FetchPolicy.defaults().withAllow(AllowList.parse("127.0.0.1")));
  }

  @AfterEach
  void stop() throws IOException {
    site.close();
  }

  @Test
  void research_reads_its_sources_main_text_title_headings_and_key_passages() throws Exception {
    int closed = closedPort();
    JsonNode result = research(List.of(site.url("/tomatoes"), site.url("/missing"),
        "http://127.0.0.1:" + closed + "/gone", "http://10.0.0.1/internal"));
    JsonNode sources = result.path("sources");
    assertThat(sources).hasSize(4);

    JsonNode read = sources.get(0);
    assertThat(read.path("fetch_status").asText()).isEqualTo("read");
    assertThat(read.path("title").asText()).isEqualTo("Tomato basics");
    assertThat(read.path("headings")).extracting(JsonNode::asText)
        .containsExactly("Growing tomatoes", "Container gardening for tomatoes", "Watering");
    assertThat(read.path("key_passages").get(0).asText()).startsWith("Container gardening lets you grow");
    assertThat(read.path("key_passages").toString()).doesNotContain("Login", "Copyright", "var x");

    assertThat(sources.get(1).path("fetch_status").asText()).isEqualTo("unreachable");
    assertThat(sources.get(1).path("http_status").asInt()).isEqualTo(404);
    assertThat(sources.get(2).path("fetch_status").asText()).isEqualTo("unreachable");
    assertThat(sources.get(2).path("fetch_error").asText()).contains("127.0.0.1:" + closed);
    assertThat(sources.get(3).path("fetch_status").asText()).isEqualTo("refused");
    assertThat(sources.get(3).path("fetch_error").asText()).contains("private");
    assertThat(result.path("notes").toString()).contains("1 read through the guarded fetcher");
  }

  @Test
  void without_a_fetcher_sources_are_listed_unread() throws Exception {
    JsonNode sources = Contexts.completed(new ResearchStage().run(Contexts.context("content", "research",
        payload(List.of(site.url("/tomatoes")))))).path("sources");
    assertThat(sources.get(0).has("fetch_status")).isFalse();
    assertThat(site.accepted()).isZero();
  }

  private JsonNode research(List<String> urls) throws Exception {
    return Contexts.completed(ContentPipeline.definition(fetcher).handler("research")
        .run(Contexts.context("content", "research", payload(urls))));
  }

  private static com.fasterxml.jackson.databind.node.ObjectNode payload(List<String> urls) {
    com.fasterxml.jackson.databind.node.ObjectNode payload = Contexts.payload("""
        {"title": "Growing Tomatoes", "keywords": ["container gardening", "cherry tomatoes"]}""");
    com.fasterxml.jackson.databind.node.ArrayNode sources = payload.putArray("sources");
    urls.forEach(sources::add);
    return payload;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }
}
